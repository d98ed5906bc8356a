// A handler may start work it does not await (an audit write, a cache fill).
// That work outlives the request, so once the response is out it must queue
// for the test's lock like any other query, instead of slipping into the
// savepoint of whichever request comes next.
import { setTimeout as sleep } from 'node:timers/promises';
import { currentContext } from '../testing/index.ts';
import { test, expect } from './fixtures.ts';

test('when a request leaves work running after its response, then that work no longer holds the lock', async ({ clientFor, app }) => {
  const staff = await clientFor('staff');
  let leftover: Promise<boolean> | undefined;
  // Captures the request's context the way an un-awaited promise in a handler would.
  app.sequelize.addHook('afterQuery', 'capture-request-context', () => {
    const context = currentContext();
    if (context?.lockLease && !leftover) {
      const lease = context.lockLease;
      leftover = sleep(50).then(() => lease.held);
    }
  });
  try {
    expect((await staff.post('/tournaments', { name: 'With Leftover Work' })).status).toBe(201);
  } finally {
    app.sequelize.removeHook('afterQuery', 'capture-request-context');
  }

  expect(leftover).toBeDefined();
  expect(await leftover).toBe(false);
});

// What one rolled-back transaction cannot show. Each test measures a blind
// spot of the pattern on the demo database, so the page that lists them
// (docs/what-the-shared-transaction-cannot-test.md) quotes behaviour that runs.
import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { test, expect } from './fixtures.ts';

// #region frozen-now
test('when a test reads now() twice, then it gets the same instant: now() is the transaction start', async ({ app }) => {
  const read = async () => ((await app.sequelize.query('SELECT now() AS now, clock_timestamp() AS clock'))[0] as { now: Date; clock: Date }[])[0]!;

  const first = await read();
  await sleep(30);
  const second = await read();

  expect(second.now.getTime()).toBe(first.now.getTime()); // frozen for the whole test
  expect(second.clock.getTime()).toBeGreaterThan(first.clock.getTime()); // the wall clock moved on
});
// #endregion frozen-now

// #region sequences
test('when a write is rolled back, then its id is not given back: sequences are not transactional', async ({ app }) => {
  const first = await app.models.Tournament.create({ name: 'Before' });
  const undone = await app.sequelize.transaction();
  await app.models.Tournament.create({ name: 'Undone' }, { transaction: undone });
  await undone.rollback();

  const next = await app.models.Tournament.create({ name: 'After' });

  expect(next.id).toBe(first.id + 2); // the undone row's id is gone for good
});
// #endregion sequences

// #region notify
test('when the test sends NOTIFY, then no listener hears it: notifications are delivered at COMMIT', async ({ app, databaseUrl }) => {
  const listener = new pg.Client({ connectionString: databaseUrl });
  await listener.connect();
  const heard: string[] = [];
  listener.on('notification', (message) => heard.push(message.payload ?? ''));
  try {
    await listener.query('LISTEN kit_blind_spot');

    await app.sequelize.query("NOTIFY kit_blind_spot, 'from the test'");
    await sleep(200);

    expect(heard).toEqual([]); // in production the listener would have it by now
  } finally {
    await listener.end();
  }
});
// #endregion notify

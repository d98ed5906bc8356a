// Many requests share one transaction: a failing request must not poison the
// ones after it, and requests sent at the same time must not lose writes.
import { test, expect } from './fixtures.ts';

test('when a request fails with 409, then later requests of the same test still succeed', async ({ clientFor, app }) => {
  const staff = await clientFor('staff');
  expect((await staff.post('/tournaments', { name: 'Only Once' })).status).toBe(201);

  const duplicate = await staff.post('/tournaments', { name: 'Only Once' });
  expect(duplicate.status).toBe(409);
  expect(duplicate.data.error.code).toBe('conflict');

  // Without the per-request savepoint the transaction would now be aborted (25P02).
  expect((await staff.post('/tournaments', { name: 'After The Conflict' })).status).toBe(201);
  const list = await staff.get('/tournaments');
  expect(list.status).toBe(200);
  expect(list.data.items.map((t: { name: string }) => t.name)).toEqual(['Only Once', 'After The Conflict']);
  expect(await app.models.Tournament.count()).toBe(2);
});

test('when 20 requests run concurrently, then no write is lost and PostgreSQL raises no warning', async ({ clientFor, tx, app }) => {
  const notices: string[] = [];
  const connection = (tx as unknown as { connection: NodeJS.EventEmitter }).connection;
  const onNotice = (notice: { message?: string }) => notices.push(notice.message ?? String(notice));
  connection.on('notice', onNotice);
  try {
    const staff = await clientFor('staff');

    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => staff.post('/tournaments', { name: `Concurrent ${i}` })),
    );

    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(await app.models.Tournament.count()).toBe(20);
    expect(notices).toEqual([]);
  } finally {
    connection.off('notice', onNotice);
  }
});

test('when requests and fixture writes interleave, then both land', async ({ clientFor, factories, app }) => {
  const staff = await clientFor('staff');

  await Promise.all([
    staff.post('/tournaments', { name: 'From HTTP' }),
    factories.tournament({ name: 'From Fixture' }),
    staff.post('/tournaments', { name: 'From HTTP' }), // a 409 rolled back to its own savepoint
  ]);

  const names = (await app.models.Tournament.findAll({ order: [['name', 'ASC']] })).map((t) => t.name);
  expect(names).toEqual(['From Fixture', 'From HTTP']);
});

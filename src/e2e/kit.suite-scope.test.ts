// Real suites are not always one-test-one-world: a block's tests may build on
// each other, or share a login made once in beforeAll. In suite scope one
// transaction covers the whole block (its hooks and its tests, in declared
// order) and is rolled back when the block ends. A test-scoped block nested in
// it gives each of its tests a savepoint, rolled back after the test.
import type { AxiosInstance } from 'axios';
import { describe } from 'vitest';
import { useSuiteTransaction, useTestTransactions } from '../testing/vitest.ts';
import { test, expect } from './fixtures.ts';

// #region suite-scope
describe('a chained block in suite scope', () => {
  useSuiteTransaction(test);
  // Block-local state, set by the block's own hooks and tests: what suite scope is for.
  let staff: AxiosInstance;
  let tournamentId = 0;

  test.beforeAll(async ({ kit }) => {
    // One login for the whole block, inside its transaction.
    staff = await kit.clientFor('staff');
  });

  test('when the first test creates a tournament, then 201', async () => {
    const created = await staff.post('/tournaments', { name: 'Chained Cup' });
    expect(created.status).toBe(201);
    tournamentId = created.data.id;
  });

  test('when the second test reads what the first created, then 200', async () => {
    const read = await staff.get(`/tournaments/${tournamentId}`);
    expect(read.status).toBe(200);
    expect(read.data.name).toBe('Chained Cup');
  });
  // #endregion suite-scope

  describe('a test-scoped block inside it', () => {
    useTestTransactions(test);

    test("when a test of the inner block writes, then it sees the block's rows and its own", async ({ app }) => {
      expect((await staff.post('/tournaments', { name: 'Inner Only' })).status).toBe(201);
      expect((await app.models.Tournament.findAll({ order: [['name', 'ASC']] })).map((t) => t.name)).toEqual(['Chained Cup', 'Inner Only']);
    });

    test("when another test of the inner block runs, then the block's rows are there and no other test's", async ({ app }) => {
      expect((await app.models.Tournament.findAll()).map((t) => t.name)).toEqual(['Chained Cup']);
    });
  });

  describe('a suite-scoped block inside it', () => {
    useSuiteTransaction(test);

    test('when its first test renames the tournament, then 200', async () => {
      expect((await staff.patch(`/tournaments/${tournamentId}`, { name: 'Renamed Cup' })).status).toBe(200);
    });

    test('when its second test reads it, then it sees the new name', async () => {
      expect((await staff.get(`/tournaments/${tournamentId}`)).data.name).toBe('Renamed Cup');
    });
  });

  test('when the inner blocks have ended, then what they wrote is undone and the block goes on', async ({ app }) => {
    expect((await app.models.Tournament.findAll()).map((t) => t.name)).toEqual(['Chained Cup']);
  });
});

test('when a test-scoped test runs beside the suite-scoped block, then it sees none of its rows', async ({ app }) => {
  expect(await app.models.Tournament.count({ where: { name: 'Chained Cup' } })).toBe(0);
});

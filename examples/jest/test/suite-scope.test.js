// Suite scope: one transaction for a whole describe block (its hooks and its
// tests, in declared order), rolled back when the block ends. For suites whose
// tests build on each other, and for a login made once in beforeAll.
// The same blocks in test scope fail: children/test-scope.child.js, run by child-runs.test.js.
// #region suite-scope
const kit = require('./kit');
const { useSuiteTransaction, useTestTransactions } = require('sequelize-shared-session/jest');
const { Note } = require('../src/db');

describe('a chained block in suite scope', () => {
  useSuiteTransaction();

  test('the first test creates a note', async () => {
    const admin = await kit.clientFor('admin');
    expect((await admin.post('/notes', { title: 'chained' })).status).toBe(201);
  });

  test('the second test reads what the first created', async () => {
    const { data } = await (await kit.clientFor()).get('/notes');
    expect(data.map((n) => n.title)).toEqual(['chained']);
  });
});

describe('a beforeAll login reused by 10 tests', () => {
  useSuiteTransaction();
  let admin;
  beforeAll(async () => {
    admin = await kit.clientFor('admin'); // one login, inside the block's transaction
  });

  test.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])('test %i posts with the same login', async (i) => {
    expect((await admin.post('/notes', { title: `note ${i}` })).status).toBe(201);
    expect(await Note.count()).toBe(i);
  });
});
// #endregion suite-scope

let fromEndedBlock;

describe('nesting', () => {
  useSuiteTransaction();
  let admin;
  beforeAll(async () => {
    admin = fromEndedBlock = await kit.clientFor('admin');
    expect((await admin.post('/notes', { title: 'outer' })).status).toBe(201);
  });

  afterAll(async () => {
    // The block's afterAll hooks run in its transaction, before it is rolled back.
    expect((await Note.findAll({ order: [['title', 'ASC']] })).map((n) => n.title)).toEqual(['outer', 'outer test']);
  });

  test('a test of the block writes', async () => {
    expect((await admin.post('/notes', { title: 'outer test' })).status).toBe(201);
  });

  describe('a test-scoped block inside it: a savepoint per test', () => {
    useTestTransactions();

    test("sees the block's rows and its own", async () => {
      expect((await admin.post('/notes', { title: 'inner only' })).status).toBe(201);
      expect((await Note.findAll({ order: [['title', 'ASC']] })).map((n) => n.title)).toEqual(['inner only', 'outer', 'outer test']);
    });

    test("sees the block's rows and no other test's", async () => {
      expect((await Note.findAll({ order: [['title', 'ASC']] })).map((n) => n.title)).toEqual(['outer', 'outer test']);
    });
  });

  describe('a suite-scoped block inside it: a savepoint for the block', () => {
    useSuiteTransaction();

    test('its first test writes', async () => {
      expect((await admin.post('/notes', { title: 'inner chained' })).status).toBe(201);
    });

    test('its second test sees it', async () => {
      expect(await Note.count({ where: { title: 'inner chained' } })).toBe(1);
    });
  });

  test('after the inner blocks, what they wrote is undone and the block goes on', async () => {
    expect((await Note.findAll({ order: [['title', 'ASC']] })).map((n) => n.title)).toEqual(['outer', 'outer test']);
  });
});

describe('after a suite-scoped block', () => {
  test('a test-scoped test sees none of its rows', async () => {
    expect(await Note.count()).toBe(0);
  });

  test('a request from the ended block is refused', async () => {
    const { status, data } = await fromEndedBlock.get('/notes');
    expect(status).toBe(500);
    expect(JSON.stringify(data)).toContain('Request from a test that has ended');
  });
});

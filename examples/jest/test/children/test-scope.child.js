// Run by child-runs.test.js: the blocks of suite-scope.test.js without useSuiteTransaction(),
// so in test scope. Each test gets its own transaction, rolled back after it:
// the chained block's second test no longer sees the first one's note, and
// beforeAll runs outside any test, so its login is refused.
const kit = require('../kit');
const { Note } = require('../../src/db');

describe('a chained block in test scope', () => {
  test('the first test creates a note', async () => {
    const admin = await kit.clientFor('admin');
    expect((await admin.post('/notes', { title: 'chained' })).status).toBe(201);
  });

  test('the second test reads what the first created', async () => {
    const { data } = await (await kit.clientFor()).get('/notes');
    expect(data.map((n) => n.title)).toEqual(['chained']);
  });
});

describe('a beforeAll login in test scope', () => {
  let admin;
  beforeAll(async () => {
    admin = await kit.clientFor('admin');
  });

  test.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])('test %i posts with the same login', async (i) => {
    expect((await admin.post('/notes', { title: `note ${i}` })).status).toBe(201);
    expect(await Note.count()).toBe(i);
  });
});

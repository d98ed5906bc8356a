// The rules of suite scope: nesting, hooks, and what a block leaves behind.
const assert = require('node:assert/strict');
const { useSuiteTransaction, useTestTransactions, clientFor } = require('./kit');
const { User, Article } = require('../src/db');

const titles = async () => (await Article.findAll({ order: [['title', 'ASC']] })).map((a) => a.title);
let clientOfEndedBlock;

describe('a suite-scoped block', () => {
  let editor;
  before(async () => {
    // Declared above useSuiteTransaction(), and still in the block's transaction.
    editor = await clientFor('editor');
  });
  useSuiteTransaction();
  before(async () => {
    assert.equal((await editor.post('/articles', { title: 'Outer' })).status, 201);
    clientOfEndedBlock = editor;
  });
  let eachRan = 0;
  beforeEach(async () => {
    eachRan += 1;
    assert.ok((await User.count()) >= 1); // beforeEach runs in the block's transaction too
  });

  it('sees what its before() hooks wrote', async () => {
    assert.deepEqual(await titles(), ['Outer']);
  });

  describe('a test-scoped block inside it', () => {
    useTestTransactions();

    it("writes, and sees the block's rows and its own", async () => {
      assert.equal((await editor.post('/articles', { title: 'Inner' })).status, 201);
      assert.deepEqual(await titles(), ['Inner', 'Outer']);
    });

    it("sees the block's rows and no other test's", async () => {
      assert.deepEqual(await titles(), ['Outer']);
    });
  });

  describe('a suite-scoped block inside it', () => {
    useSuiteTransaction();
    before(async () => {
      assert.equal((await editor.post('/articles', { title: 'Nested before' })).status, 201);
    });

    it('writes', async () => {
      assert.equal((await editor.post('/articles', { title: 'Nested' })).status, 201);
    });

    it('sees what its own block wrote, and the outer block\'s rows', async () => {
      assert.deepEqual(await titles(), ['Nested', 'Nested before', 'Outer']);
    });
  });

  // Mocha runs a block's own tests before its nested blocks: this one runs last.
  describe('after the inner blocks', () => {
    it('what they wrote is undone, and the block goes on', async () => {
      assert.deepEqual(await titles(), ['Outer']);
      assert.equal(eachRan, 6);
    });
  });

  after(async () => {
    assert.deepEqual(await titles(), ['Outer']);
  });
});

describe('beside a suite-scoped block', () => {
  it('a test sees none of its rows', async () => {
    assert.equal(await Article.count(), 0);
    assert.equal(await User.count(), 0);
  });

  it('a client of the ended block is refused, not served in this test', async () => {
    const response = await clientOfEndedBlock.get('/articles');
    assert.equal(response.status, 500);
    assert.match(response.data.error.message, /^Request from a test that has ended: GET \/articles was sent by "a suite-scoped block"/);
  });
});

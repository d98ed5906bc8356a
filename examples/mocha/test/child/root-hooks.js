// Run by child-runs.test.js only: hooks at the top of a file belong to Mocha's root suite, beside the plugin's.
const assert = require('node:assert/strict');
const { User } = require('../../src/db');

beforeEach(async () => {
  await User.create({ email: 'root-hook@example.test', role: 'reader' });
});
afterEach(async () => {
  assert.equal(await User.count(), 1);
});
afterEach(function (done) {
  User.count().then(() => done(), done);
});

it('sees the row of a root beforeEach', async () => {
  assert.equal(await User.count(), 1);
});

it('sees only its own', async () => {
  assert.equal(await User.count(), 1);
});

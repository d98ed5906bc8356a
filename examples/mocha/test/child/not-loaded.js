// Run by child-runs.test.js only, without --require: the plugin's hooks never ran.
const { clientFor } = require('../kit');

it('asks for a client', async () => {
  await clientFor('editor');
});

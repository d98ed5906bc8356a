// The wiring, run in every test file (setupFilesAfterEnv); test files require it for clientFor/tx.
// The kit's environment has set process.env.DATABASE_URL to the worker's database
// before any module of the file loaded, so the app's singleton is already on it.
// #region wiring
const express = require('express');
const { useSharedSession } = require('sequelize-shared-session/jest');
const { tokenFor } = require('../src/tokens');

module.exports = useSharedSession({
  connect: () => require('../src/db'),
  createApp: (_db, override) => express().use(override).use(require('../src/app')),
  // A real token from the app's own token code, for a fresh user made in the test's transaction.
  signIn: async ({ User }, role) => ({ authorization: `Bearer ${tokenFor(await User.create({ name: `a ${role}`, role }))}` }),
});
// #endregion wiring

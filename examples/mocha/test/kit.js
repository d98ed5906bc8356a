// The glue: Mocha loads this module with --require (.mocharc.json); tests import clientFor from it.
// #region wiring
const { randomUUID } = require('node:crypto');
const express = require('express');
const { createMochaPlugin } = require('sequelize-shared-session/mocha');
const { migrate } = require('../src/migrate');
const { sign } = require('../src/tokens');

module.exports = createMochaPlugin({
  // The plugin has set process.env.DATABASE_URL to this worker's database before this first require.
  connect: () => require('../src/db'),
  // The override goes in front of the unmodified app.
  createApp: (_db, override) => express().use(override).use(require('../src/app')),
  // A real token from the app's own token code, for a user made inside the test's transaction.
  signIn: async (db, role) => {
    const user = await db.User.create({ email: `${role}-${randomUUID()}@example.test`, role });
    return { authorization: `Bearer ${sign(user.id)}` };
  },
}, { migrate });
// #endregion wiring

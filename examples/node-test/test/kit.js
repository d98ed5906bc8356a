'use strict';
// The glue between the app and the kit: the one file a project writes.
// node --test runs each test file in a process of its own, so requiring this
// module from a test file registers the kit's before/after hooks in that file.
// #region wiring
const { randomUUID } = require('node:crypto');
const express = require('express');
const { useSharedSession } = require('sequelize-shared-session/node-test');

module.exports = useSharedSession({
  // The kit has set process.env.DATABASE_URL to this file's database: the singleton reads it now.
  connect: () => require('../src/db'),
  // The override in front of the unmodified app.
  createApp: (db, override) => express().use(override).use(require('../src/app')),
  async signIn({ User }, role) {
    const user = await User.create({ email: `${role}-${randomUUID()}@example.test`, role });
    return { authorization: `Bearer ${require('../src/tokens').signToken(user.id)}` };
  },
});
// #endregion wiring

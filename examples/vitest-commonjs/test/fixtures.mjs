// The glue: the kit's Vitest adapter, wired to a CommonJS app that builds its
// Sequelize singleton from process.env when first required.
// #region wiring
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { createSharedSessionTest } from 'sequelize-shared-session/vitest';

// Node's own require: the app is loaded once, natively, and tests and app share
// that module instance (and so the one Sequelize instance the kit patches).
const require = createRequire(import.meta.url);
const express = require('express');

export const test = createSharedSessionTest({
  // connect is where the worker's database reaches the singleton: set the
  // environment first, then require the app's database module for the first time.
  // #region connect
  connect(databaseUrl) {
    process.env.DATABASE_URL = databaseUrl;
    return require('../src/db.js');
  },
  // #endregion connect
  // The override in front of the unmodified app.
  createApp(_db, override) {
    const outer = express();
    outer.use(override);
    outer.use(require('../src/app.js'));
    return outer;
  },
  // A fresh user per client, with a token minted by the app's own code: no password hash per test.
  // #region sign-in
  async signIn({ models }, role) {
    const user = await models.User.create({ email: `${role}-${randomUUID()}@example.test`, passwordHash: 'x:no-login', role });
    return { authorization: `Bearer ${require('../src/auth.js').mintToken(user)}` };
  },
  // #endregion sign-in
});

export { expect } from 'vitest';
// #endregion wiring

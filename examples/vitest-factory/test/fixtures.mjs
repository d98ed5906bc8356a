// The glue: the kit's Vitest adapter, wired to a CommonJS app built by a factory.
// #region wiring
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { createSharedSessionTest } from 'sequelize-shared-session/vitest';

// Node's own require: tests and app share one instance of each app module.
const require = createRequire(import.meta.url);
const { createDatabase } = require('../src/db.js');
const { createApp } = require('../src/app.js');
const { mintToken } = require('../src/auth.js');

export const test = createSharedSessionTest({
  // Called once per worker: a Sequelize instance for the worker's database, which serves
  // every file of the worker. The kit closes it when the worker ends.
  connect: (databaseUrl) => createDatabase(databaseUrl),
  // The app mounts the kit's override before its other middleware.
  createApp: (db, override) => createApp(db, { firstMiddleware: override }),
  // A fresh user per client, with a token minted by the app's own code.
  async signIn({ models }, role) {
    const user = await models.User.create({ email: `${role}-${randomUUID()}@example.test`, role });
    return { authorization: `Bearer ${mintToken(user)}` };
  },
});

export { expect } from 'vitest';
// #endregion wiring

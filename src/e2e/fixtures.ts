// The kit wired to the demo app: the one file of glue a project writes.
// Tests import `test` and `expect` from here and name the fixtures they need:
// `tx`, `clientFor(role?)` and `factories`.
import { expect } from 'vitest';
import type { AxiosInstance } from 'axios';
import { createSequelize } from '../db/sequelize.ts';
import { defineModels } from '../app/models/index.ts';
import { createApp } from '../app/app.ts';
import { signSessionToken } from '../app/auth/session.ts';
import { createSharedSessionTest } from '../testing/vitest.ts';
import { createFactories } from './factories.ts';

/** The roles of the demo app; `clientFor()` without one is anonymous. */
export type Role = 'admin' | 'staff' | 'mc' | 'judge';

/** What the `factories` fixture holds: one function per model, each creating a row inside the test's transaction. */
export type Factories = ReturnType<typeof createFactories>;

/** What the `clientFor` fixture holds. */
export type ClientFor = (role?: Role) => Promise<AxiosInstance>;

/** A fixed secret for test servers: tokens are real HS256 tokens, checked by the real middleware. */
export const TEST_SESSION_SECRET = 'e2e-test-session-secret-that-is-long-enough';

function connect(databaseUrl: string) {
  const sequelize = createSequelize(databaseUrl);
  const models = defineModels(sequelize);
  return { sequelize, models, factories: createFactories(models) };
}

/** The demo app's test API: the kit's fixtures plus `factories`. */
export const test = createSharedSessionTest<ReturnType<typeof connect>, Role>({
  connect,
  createApp: ({ sequelize, models }, requestOverride) =>
    createApp({ sequelize, models, sessionSecret: TEST_SESSION_SECRET, testRequestOverride: requestOverride }),
  // A fresh user of the role, created in the test's transaction, and a real
  // session token for them: no test-only back door in the auth path.
  signIn: async ({ factories }, role) => {
    const user = await factories.user(role);
    return { authorization: `Bearer ${await signSessionToken(user.id, TEST_SESSION_SECRET)}` };
  },
}).extend('factories', async ({ app }) => app.factories);

export { expect };

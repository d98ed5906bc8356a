// The old approach's setup, shared by the broken prototypes: the demo app
// built the way production builds it (no test override unless a prototype
// passes its own naive one), on its own Sequelize pool, over a database of its
// own. Broken prototypes commit, truncate and leak on purpose, so they never
// touch the shared-session databases (e2e_w*): each file gets a scratch
// database cloned from the migrated template and drops it in afterAll.
import { createServer, type Server } from 'node:http';
import type { RequestHandler } from 'express';
import type { Options } from 'sequelize';
import { createScratchDatabase } from '../src/testing/index.ts';
import { createSequelize } from '../src/db/sequelize.ts';
import { defineModels, type Models } from '../src/app/models/index.ts';
import { createApp, signSessionToken } from '../src/app/app.ts';
import { createFactories, type Factories } from '../src/e2e/factories.ts';

/** Session tokens of the prototypes are real HS256 tokens, checked by the real middleware. */
export const PROTOTYPE_SESSION_SECRET = 'prototype-session-secret-that-is-long-enough';

export interface ScratchApp {
  /** The scratch database's URL. */
  readonly url: string;
  readonly sequelize: ReturnType<typeof createSequelize>;
  readonly models: Models;
  /** The same factories the kit's tests use; outside a transaction they commit (to the scratch database). */
  readonly factories: Factories;
  readonly app: ReturnType<typeof createApp>;
  /** The `Authorization` header value that signs in as `user`. */
  bearer(user: { id: number }): Promise<string>;
  /** Starts one HTTP server for the file on 127.0.0.1 (the usual setup: call it in beforeAll, outside any test). */
  listen(): Promise<Server>;
  /** Closes the servers started by `listen()`, the pool, and drops the scratch database. */
  drop(): Promise<void>;
}

export async function startScratchApp(
  label: string,
  options: { sequelize?: Options; testRequestOverride?: RequestHandler } = {},
): Promise<ScratchApp> {
  const scratch = await createScratchDatabase(label);
  const sequelize = createSequelize(scratch.url, options.sequelize);
  const models = defineModels(sequelize);
  const app = createApp({ sequelize, models, sessionSecret: PROTOTYPE_SESSION_SECRET, testRequestOverride: options.testRequestOverride });
  const servers: Server[] = [];
  return {
    url: scratch.url,
    sequelize,
    models,
    factories: createFactories(models),
    app,
    bearer: async (user) => `Bearer ${await signSessionToken(user.id, PROTOTYPE_SESSION_SECRET)}`,
    async listen() {
      const server = createServer(app);
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return server;
    },
    async drop() {
      for (const server of servers) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
      await sequelize.close();
      await scratch.drop();
    },
  };
}

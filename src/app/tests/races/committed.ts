// The committed-mode harness: the answer to "how do I test concurrency?".
//
// The shared-session kit runs every request of a test on ONE connection and
// serialises them, so two requests of a test can never interleave: a race
// between them cannot happen under the kit, and a kit test of a race passes
// whether or not the race exists. To see a race, the app must run the way it
// runs in production: its own pool, real commits, requests truly in parallel.
//
// This harness gives exactly that, and nothing more:
// - a scratch database cloned from the migrated template (`createScratchDatabase`),
//   so committed rows never reach the kit's databases;
// - the production app (no request override) on 127.0.0.1, an ephemeral port;
// - `fire()`: a bounded number of requests sent at once, each with a timeout;
// - `close()`: the server and the pool closed, the database dropped.
//
// A race shows up only in some interleavings, so a test runs its scenario in
// rounds (`rounds()`, bounded in count and time) and fails at the first round
// that breaks the invariant.
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Sequelize } from 'sequelize';
import { createScratchDatabase, type ScratchDatabase } from '../../../testing/databases.ts';
import { createSequelize } from '../../../db/sequelize.ts';
import { createApp } from '../../app.ts';
import { defineModels, type Models, type Role, type UserInstance } from '../../models/index.ts';
import { signSessionToken } from '../../auth/session.ts';

/** More parallel requests than this is a load test, not a race test. */
export const MAX_PARALLEL = 64;
/** Each request of `fire()` gives up after this long. */
export const REQUEST_TIMEOUT_MS = 5_000;

export interface Sent {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  /** A bearer token; none means anonymous. */
  token?: string;
  body?: unknown;
  /** Sent this many milliseconds after the first request of the batch (default 0), to sweep a race window. */
  delayMs?: number;
}

export interface Answer {
  status: number;
  body: unknown;
}

export interface CommittedApp {
  readonly models: Models;
  readonly sequelize: Sequelize;
  readonly url: string;
  /** A committed user of the role and a real session token for them. */
  user(role: Role): Promise<{ user: UserInstance; token: string }>;
  /** Sends all requests at once (at most `MAX_PARALLEL`) and waits for every answer. */
  fire(requests: Sent[]): Promise<Answer[]>;
  /** Closes the server and the pool, then drops the database. */
  close(): Promise<void>;
}

/**
 * Starts the production app on a scratch database of its own.
 *
 * @example
 * ```ts
 * const app = await startCommittedApp('votes-race');
 * try { ... await app.fire([...]) ... } finally { await app.close(); }
 * ```
 */
export async function startCommittedApp(label: string): Promise<CommittedApp> {
  const scratch: ScratchDatabase = await createScratchDatabase(label);
  // A pool big enough that MAX_PARALLEL requests really run at once instead of queueing for a connection.
  const sequelize = createSequelize(scratch.url, { pool: { max: 20, min: 0, idle: 10_000, acquire: 10_000 } });
  const models = defineModels(sequelize);
  const secret = randomBytes(32).toString('hex');
  const server: Server = createApp({ sequelize, models, sessionSecret: secret }).listen(0, '127.0.0.1');
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
  } catch (error) {
    await sequelize.close();
    await scratch.drop();
    throw error;
  }
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let users = 0;

  return {
    models,
    sequelize,
    url,
    async user(role) {
      users += 1;
      // Nobody logs in with a password here: the token is signed directly, as login would sign it.
      const user = await models.User.create({ email: `${role}-${users}@race.test`, name: `Race ${role} ${users}`, role, passwordHash: 'unused' });
      return { user, token: await signSessionToken(user.id, secret) };
    },
    async fire(requests) {
      if (requests.length > MAX_PARALLEL) throw new Error(`fire() sends at most ${MAX_PARALLEL} requests at once, got ${requests.length}`);
      return Promise.all(
        requests.map(async ({ method, path, token, body, delayMs = 0 }) => {
          if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
          const headers: Record<string, string> = {};
          if (token) headers.authorization = `Bearer ${token}`;
          if (body !== undefined) headers['content-type'] = 'application/json';
          const response = await fetch(`${url}${path}`, {
            method,
            headers,
            body: body === undefined ? undefined : JSON.stringify(body),
            signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
          });
          const text = await response.text();
          return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
        }),
      );
    },
    async close() {
      try {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await sequelize.close();
      } finally {
        await scratch.drop();
      }
    },
  };
}

/**
 * Runs `round` up to `maxRounds` times or until `budgetMs` has passed (at least
 * one round always runs), stopping at the first round that throws. Returns how
 * many rounds ran, so a test can say how hard it looked.
 */
export async function rounds(options: { maxRounds: number; budgetMs: number }, round: (index: number) => Promise<void>): Promise<number> {
  const deadline = Date.now() + options.budgetMs;
  let ran = 0;
  do {
    await round(ran);
    ran += 1;
  } while (ran < options.maxRounds && Date.now() < deadline);
  return ran;
}

// `npm start`: the demo API on a real PostgreSQL. Uses DATABASE_URL as is when
// set; otherwise starts an embedded PostgreSQL and creates `tournament_demo` on it.
// Then migrates, seeds the demo data (see seedPlan: never with public passwords
// when NODE_ENV=production) and serves on PORT (default 3000).
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startPostgres } from './testing/embedded-postgres.ts';
import { createSequelize } from './db/sequelize.ts';
import { migrate } from './db/migrate.ts';
import { quoteIdent, withAdminClient, withDatabase } from './testing/admin.ts';
import { createApp } from './app/app.ts';
import { checkSessionSecret } from './app/auth/session.ts';
import { defineModels } from './app/models/index.ts';
import { seedDemo, seedPlan } from './app/seed.ts';

const DEMO_DATABASE = 'tournament_demo';

/** A startup failure the user can fix: printed as its one-line message, without a stack trace. */
class StartupError extends Error {}

function portFromEnv(value: string | undefined): number {
  if (value === undefined || value === '') return 3000;
  const port = /^[0-9]{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(port >= 0 && port <= 65535)) throw new StartupError(`PORT must be a number from 0 to 65535, got ${JSON.stringify(value)}`);
  return port;
}

/**
 * Binds the port before anything else starts, so a port in use is one line and
 * no PostgreSQL is started for nothing. Until the app is ready, requests get a
 * JSON 503 in the API's error shape instead of hanging.
 */
async function bind(port: number): Promise<Server> {
  const server = createServer((_req, res) => {
    res.writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'retry-after': '1' });
    res.end(JSON.stringify({ error: { code: 'service_unavailable', message: 'The server is starting' } }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(new StartupError(`Port ${port} is already in use: stop the other server or choose a free port, e.g. PORT=${port + 1} npm start`));
      else if (error.code === 'EACCES') reject(new StartupError(`Port ${port} needs privileges this process does not have: choose a port above 1023 with PORT=...`));
      else reject(error);
    });
    server.listen(port);
  });
  return server;
}

async function main(): Promise<void> {
  // Configuration first: a bad value is a one-line refusal before anything starts.
  const configuredSecret = process.env.SESSION_SECRET;
  if (configuredSecret !== undefined) {
    try {
      checkSessionSecret(configuredSecret, 'SESSION_SECRET');
    } catch (error) {
      throw new StartupError((error as Error).message);
    }
  }
  // A fresh random secret per run unless SESSION_SECRET is set: sessions do not survive a restart, which suits a demo.
  const sessionSecret = configuredSecret ?? randomBytes(32).toString('hex');
  const plan = seedPlan(process.env);
  const server = await bind(portFromEnv(process.env.PORT));

  const postgres = await startPostgres({});
  let databaseUrl = postgres.url;
  if (postgres.embedded) {
    await withAdminClient(postgres.url, (client) => client.query(`CREATE DATABASE ${quoteIdent(DEMO_DATABASE)}`));
    databaseUrl = withDatabase(postgres.url, DEMO_DATABASE);
  }

  const sequelize = createSequelize(databaseUrl);
  await migrate(sequelize);
  const models = defineModels(sequelize);
  const credentials = plan.seed ? await seedDemo(models, sequelize, { passwords: plan.passwords }) : [];

  const app = createApp({ sequelize, models, sessionSecret });
  server.removeAllListeners('request');
  server.on('request', app);

  // This entry point owns the process's shutdown. The embedded-postgres package
  // and startEmbeddedPostgres() install their own SIGINT/SIGTERM handlers, which
  // stop PostgreSQL and then exit with 128 + signal; left in place they would
  // race the orderly shutdown below. Removing them is safe because
  // `postgres.stop()` is called below, and the 'exit' backstop stays installed.
  // `process.listeners()` (not removeAllListeners) on purpose: tsx hides its own
  // handler from that list, and that handler must stay, as it tells the tsx
  // parent process that we handle the signal (else tsx SIGKILLs us after 60 ms).
  let shuttingDown = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (shuttingDown) return;
    shuttingDown = true;
    console.log(`${signal}: shutting down`);
    let code = 0;
    try {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await sequelize.close();
      await postgres.stop();
    } catch (error) {
      console.error('Shutdown failed:', error);
      code = 1;
    }
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    for (const listener of process.listeners(signal)) process.off(signal, listener);
    process.on(signal, (received) => void shutdown(received));
  }

  // Printed only once the handlers above are in place: whoever reads these lines
  // (a user, a script, a test) and then sends SIGTERM gets the orderly shutdown,
  // never the default action, which kills the process on the spot.
  const url = `http://localhost:${(server.address() as AddressInfo).port}`;
  console.log(`Tournament API listening on ${url}${postgres.embedded ? ' (embedded PostgreSQL)' : ''}`);
  if (!plan.seed) console.log(plan.reason);
  else if (credentials.length === 0) console.log('Demo accounts exist already; their random passwords were printed when they were created');
  else {
    const once = plan.passwords === 'random' ? ' (random passwords, printed this once)' : '';
    console.log(`Demo accounts${once} (POST /auth/login with {"email", "password"}):`);
    for (const { role, email, password } of credentials) console.log(`  ${role.padEnd(5)}  ${email}  ${password}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof StartupError ? `npm start: ${error.message}` : error);
  // The process 'exit' hooks of startEmbeddedPostgres stop an embedded server here.
  process.exit(1);
});

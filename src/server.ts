// `npm start`: the demo API on a real PostgreSQL. Uses DATABASE_URL as is when
// set; otherwise starts an embedded PostgreSQL and creates `tournament_demo` on it.
// Then migrates, seeds the demo data and listens on PORT (default 3000).
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { startPostgres } from './db/embedded-postgres.ts';
import { createSequelize } from './db/sequelize.ts';
import { migrate } from './db/migrate.ts';
import { quoteIdent, withAdminClient, withDatabase } from './db/admin.ts';
import { createApp } from './app/app.ts';
import { defineModels } from './app/models/index.ts';
import { seedDemo } from './app/seed.ts';

const DEMO_DATABASE = 'tournament_demo';

async function main(): Promise<void> {
  const postgres = await startPostgres({});
  let databaseUrl = postgres.url;
  if (postgres.embedded) {
    await withAdminClient(postgres.url, (client) => client.query(`CREATE DATABASE ${quoteIdent(DEMO_DATABASE)}`));
    databaseUrl = withDatabase(postgres.url, DEMO_DATABASE);
  }

  const sequelize = createSequelize(databaseUrl);
  await migrate(sequelize);
  const models = defineModels(sequelize);
  const credentials = await seedDemo(models, sequelize);

  // A fresh random secret per run unless SESSION_SECRET is set: sessions do not survive a restart, which suits a demo.
  const sessionSecret = process.env.SESSION_SECRET ?? randomBytes(32).toString('hex');
  const app = createApp({ sequelize, models, sessionSecret });
  const port = Number(process.env.PORT ?? 3000);
  const server = app.listen(port);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });

  const url = `http://localhost:${(server.address() as AddressInfo).port}`;
  console.log(`Tournament API listening on ${url}${postgres.embedded ? ' (embedded PostgreSQL)' : ''}`);
  console.log('Demo accounts (POST /auth/login with {"email", "password"}):');
  for (const { role, email, password } of credentials) console.log(`  ${role.padEnd(5)}  ${email}  ${password}`);

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
}

main().catch((error: unknown) => {
  console.error(error);
  // The process 'exit' hooks of startEmbeddedPostgres stop an embedded server here.
  process.exit(1);
});

// The global setup never reads the app's dotenv files (issue 10, item 4): an
// app's .env or .env.test naming a DATABASE_URL is the app's business, and a
// kit that followed it would create, and drop, databases on that server. The
// kit reads process.env.DATABASE_URL only. Here both files point at a trap (a
// TCP server that counts connections) in the working directory of the setup.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import pg from 'pg';
import { createGlobalSetup } from '../global-setup.ts';
import type { SharedSessionDatabaseInfo } from '../databases.ts';
import { databasesStartingWith, suiteServerUrl } from './global-setup-harness.ts';

let trap: Server;
let trapConnections = 0;
let appDir: string;
const cwd = process.cwd();
const previousUrl = process.env.DATABASE_URL;

beforeEach(async () => {
  trapConnections = 0;
  trap = createServer((socket) => {
    trapConnections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
  const appUrl = `postgres://app:secret@127.0.0.1:${(trap.address() as AddressInfo).port}/app_test`;
  appDir = mkdtempSync(join(tmpdir(), 'kit-dotenv-'));
  writeFileSync(join(appDir, '.env'), `DATABASE_URL=${appUrl}\n`);
  writeFileSync(join(appDir, '.env.test'), `DATABASE_URL=${appUrl}\n`);
  process.chdir(appDir);
});

afterEach(async () => {
  process.chdir(cwd);
  if (previousUrl === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = previousUrl;
  rmSync(appDir, { recursive: true, force: true });
  await new Promise((resolve) => trap.close(resolve));
});

const setup = (prefix: string) =>
  createGlobalSetup({
    prefix,
    async migrate(url) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query('CREATE TABLE things (id serial PRIMARY KEY)');
      } finally {
        await client.end();
      }
    },
  });

describe("the global setup and the app's dotenv files", { timeout: 60_000 }, () => {
  test('when .env and .env.test name another DATABASE_URL, then the kit uses process.env.DATABASE_URL and never contacts theirs', async () => {
    const prefix = `kitdotenv${process.pid}`;
    process.env.DATABASE_URL = suiteServerUrl();
    let info: SharedSessionDatabaseInfo | undefined;

    const teardown = await setup(prefix)({ provide: ((_key: string, value: SharedSessionDatabaseInfo) => (info = value)) as never });
    try {
      expect(info?.serverUrl).toBe(suiteServerUrl());
      expect(await databasesStartingWith(`${info?.prefix}_`)).toEqual([`${info?.prefix}_template`]);
    } finally {
      await teardown();
    }
    expect(trapConnections).toBe(0);
  });

  test('when process.env has no DATABASE_URL and .env.test has one, then the kit starts its own embedded server rather than use it', async () => {
    delete process.env.DATABASE_URL;
    let info: SharedSessionDatabaseInfo | undefined;

    const teardown = await setup('kitdotenvembedded')({ provide: ((_key: string, value: SharedSessionDatabaseInfo) => (info = value)) as never });
    await teardown();

    // Its own: a fresh password, and (where the path fits) the Unix socket in its data directory.
    expect(info?.serverUrl).toMatch(/^postgres:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/postgres(\?host=%2F[^&]+)?$/);
    expect(info?.serverUrl).not.toContain(`:${(trap.address() as AddressInfo).port}/`);
    expect(trapConnections).toBe(0);
  });
});

// The global setup and teardown against a server that other runs share (two
// terminals, CI shards on one DATABASE_URL): a run never drops another live
// run's databases, drops those of runs that are provably gone, and its
// teardown's "every worker database is empty" never hides a damaged schema.
// Each test runs whole global setups in-process against the suite's server,
// under a prefix of its own.
import { describe, expect, test } from 'vitest';
import pg from 'pg';
import { createDatabaseFromTemplate, dropDatabase, withAdminClient, withDatabase } from '../admin.ts';
import { databasesStartingWith, runGlobalSetup, sqlOn, suiteServerUrl, type HarnessRun } from './global-setup-harness.ts';

// Prefixes of this process only: the suite itself may run twice at once against one
// server (the very case tested here), and its copies must not see each other's runs.
const base = (name: string) => `${name}${process.pid}`;

/** Tears down every run given, even when one teardown fails, and reports the first failure. */
async function teardownAll(...runs: (HarnessRun | undefined)[]): Promise<void> {
  const results = await Promise.allSettled(runs.map((run) => run?.teardown()));
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
}

describe('two runs against one server', { timeout: 60_000 }, () => {
  test('when a second run starts against the same server, then the first run\'s databases survive and stay usable', async () => {
    let first: HarnessRun | undefined;
    let second: HarnessRun | undefined;
    const client = new pg.Client({ connectionString: suiteServerUrl() });
    client.on('error', () => {}); // a terminated connection is asserted below, not thrown here
    try {
      first = await runGlobalSetup(base('kitrun'));
      const worker = `${first.info.prefix}_w1`;
      await createDatabaseFromTemplate(suiteServerUrl(), worker, first.info.template);
      const firstDatabases = await databasesStartingWith(`${first.info.prefix}_`);
      const workerClient = new pg.Client({ connectionString: withDatabase(suiteServerUrl(), worker) });
      workerClient.on('error', () => {});
      await workerClient.connect();
      try {
        second = await runGlobalSetup(base('kitrun'));

        await expect(workerClient.query("INSERT INTO things (name) VALUES ('still here') RETURNING id")).resolves.toMatchObject({ rowCount: 1 });
        expect(await databasesStartingWith(`${first.info.prefix}_`)).toEqual(firstDatabases);
        expect(second.info.prefix).not.toBe(first.info.prefix);
        await workerClient.query('DELETE FROM things');
      } finally {
        await workerClient.end().catch(() => {});
      }
      await second.teardown();
      expect(await databasesStartingWith(`${first.info.prefix}_`)).toEqual(firstDatabases);
    } finally {
      await teardownAll(second, first);
    }
    expect(await databasesStartingWith(`${base('kitrun')}_`)).toEqual([]);
  });

  test('when a run died without its teardown, then the next run drops its databases', async () => {
    let dead: HarnessRun | undefined;
    let next: HarnessRun | undefined;
    try {
      dead = await runGlobalSetup(base('kitgone'));
      await createDatabaseFromTemplate(suiteServerUrl(), `${dead.info.prefix}_w1`, dead.info.template);
      // The run's process is gone: the server ends its sessions, among them the one holding the run's lock.
      const ended = await withAdminClient(suiteServerUrl(), (c) =>
        c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [`${base('kitgone')} test run`]),
      );
      expect(ended.rowCount).toBe(1);

      next = await runGlobalSetup(base('kitgone'));

      expect(await databasesStartingWith(`${dead.info.prefix}_`)).toEqual([]);
      expect(await databasesStartingWith(`${next.info.prefix}_`)).toEqual([`${next.info.prefix}_template`]);
    } finally {
      await teardownAll(next, dead);
    }
  });

  test('when the server holds a database that carries no run id, then a run leaves it alone', async () => {
    const foreign = `${base('kitother')}_w1`;
    let run: HarnessRun | undefined;
    await dropDatabase(suiteServerUrl(), foreign);
    await withAdminClient(suiteServerUrl(), (c) => c.query(`CREATE DATABASE ${foreign}`));
    try {
      run = await runGlobalSetup(base('kitother'));
      await run.teardown();
      run = undefined;

      expect(await databasesStartingWith(foreign)).toEqual([foreign]);
    } finally {
      await run?.teardown().catch(() => {});
      await dropDatabase(suiteServerUrl(), foreign);
    }
  });
});

describe('the global teardown', { timeout: 60_000 }, () => {
  test('when a worker database lost its tables, then the teardown fails instead of calling every worker database empty', async () => {
    const run = await runGlobalSetup(base('kitdmg'));
    let teardown: Promise<void> | undefined;
    try {
      const worker = `${run.info.prefix}_w1`;
      await createDatabaseFromTemplate(suiteServerUrl(), worker, run.info.template);
      await sqlOn(worker, 'DROP TABLE things');

      teardown = run.teardown();

      await expect(teardown).rejects.toThrow(/^Schema differs from the template after the full run in the shared-session databases:\n {2}kitdmg\d+_\S*w1: missing table public\.things/);
      expect(await databasesStartingWith(`${run.info.prefix}_`)).toEqual([]);
    } finally {
      if (!teardown) await run.teardown().catch(() => {});
    }
  });

  test('when a worker database kept its schema and holds rows, then the teardown names them', async () => {
    const run = await runGlobalSetup(base('kitrows'));
    let teardown: Promise<void> | undefined;
    try {
      const worker = `${run.info.prefix}_w1`;
      await createDatabaseFromTemplate(suiteServerUrl(), worker, run.info.template);
      await sqlOn(worker, "INSERT INTO things (name) VALUES ('leaked')");

      teardown = run.teardown();

      await expect(teardown).rejects.toThrow(/^Rows left behind after the full run in the shared-session databases:\n {2}kitrows\d+_\S*w1: \{"things":1\}/);
    } finally {
      if (!teardown) await run.teardown().catch(() => {});
    }
  });
});

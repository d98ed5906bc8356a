import { randomInt } from 'node:crypto';
import pg from 'pg';
import { dropDatabase, withAdminClient, withDatabase } from './admin.ts';

/**
 * The first key of every run's advisory lock (`pg_advisory_lock(RUN_LOCK_NAMESPACE, <run id>)`),
 * so the kit's locks never collide with an app's single-key advisory locks.
 */
export const RUN_LOCK_NAMESPACE = 0x6532_6b74; // "e2kt"

/**
 * A test run's claim on its databases: while the run lives, its dedicated
 * connection holds a session advisory lock keyed by the run's id, and every
 * database of the run is named `<prefix>` + `_...`. Another run sharing the
 * server can take that lock only once this connection is gone (the run ended,
 * crashed or was killed), which proves the databases are abandoned.
 *
 * @example
 * ```ts
 * const run: RunOwnership = await claimRun(serverUrl, 'e2e');
 * try { ... } finally { await run.release(); }
 * ```
 */
export interface RunOwnership {
  /** The run's id, also the second key of its advisory lock. */
  readonly id: number;
  /** Prefix of every database of this run: `<base prefix>_r<id in base 36>`. */
  readonly prefix: string;
  /**
   * True when the lock's connection ended before `release()` (server restart,
   * an administrator, a network cut): from then on another run may have taken
   * the run's databases for abandoned.
   */
  readonly lost: boolean;
  /** Ends the lock's connection (and so the claim); drop the run's databases first. */
  release(): Promise<void>;
}

function runPrefix(basePrefix: string, id: number): string {
  return `${basePrefix}_r${id.toString(36)}`;
}

/** The run id in a database name of `basePrefix`'s runs, or undefined for any other name. */
export function runIdOf(database: string, basePrefix: string): number | undefined {
  if (!database.startsWith(`${basePrefix}_r`)) return undefined;
  const match = /^([0-9a-z]+)_/.exec(database.slice(basePrefix.length + 2));
  return match ? Number.parseInt(match[1]!, 36) : undefined;
}

/** A LIKE pattern that matches `text` literally at the start. */
function likePrefix(text: string): string {
  return `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Claims a fresh run id on the server: opens a dedicated connection and takes
 * the run's session advisory lock on it, for the run's lifetime. Take it before
 * creating any database, so another run never sees an unclaimed database of a live run.
 *
 * @example
 * ```ts
 * const run = await claimRun(serverUrl, 'e2e'); // run.prefix === 'e2e_r1k3x9a'
 * ```
 */
export async function claimRun(serverUrl: string, basePrefix: string): Promise<RunOwnership> {
  const client = new pg.Client({
    connectionString: withDatabase(serverUrl, 'postgres'),
    // The claim lives as long as this connection: keepalives stop an idle-connection
    // reaper or a NAT table from ending it silently during a long run.
    keepAlive: true,
    application_name: `${basePrefix} test run`,
  });
  // A lost connection must not crash the runner; the databases then lose their
  // owner, which the run's teardown reports if another run dropped them.
  client.on('error', (error) => console.error(`[e2e-kit] the run's ownership connection failed: ${error.message}`));
  let ended = false;
  client.on('end', () => (ended = true));
  await client.connect();
  try {
    // PostgreSQL 14+ may end idle sessions (idle_session_timeout); this one idles on purpose for the whole run.
    await client.query('SET idle_session_timeout = 0').catch(() => {});
    for (;;) {
      const id = randomInt(1, 2 ** 31 - 1);
      const result = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS locked', [RUN_LOCK_NAMESPACE, id]);
      if (!result.rows[0]?.locked) continue; // a live run has this id: draw another
      let released = false;
      return {
        id,
        prefix: runPrefix(basePrefix, id),
        get lost() {
          return ended && !released;
        },
        async release() {
          if (released) return;
          released = true;
          if (!ended) await client.end();
        },
      };
    }
  } catch (error) {
    await client.end();
    throw error;
  }
}

/**
 * Drops the databases of `basePrefix`'s runs that are provably gone: those
 * whose run's advisory lock this session can take. Databases of live runs
 * (lock held) and names without a run id (not the kit's, or an older kit's)
 * are left alone. The lock is held while the run's databases are dropped, so
 * two runs cleaning up at once never race on the same run.
 *
 * @returns the names of the databases dropped.
 *
 * @example
 * ```ts
 * const dropped = await dropAbandonedRuns(serverUrl, 'e2e', run.id);
 * ```
 */
export async function dropAbandonedRuns(serverUrl: string, basePrefix: string, ownId: number): Promise<string[]> {
  const names = await withAdminClient(serverUrl, async (client) => {
    const result = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1 ORDER BY 1', [likePrefix(`${basePrefix}_r`)]);
    return result.rows.map((row) => row.datname);
  });
  const byRun = new Map<number, string[]>();
  const dropped: string[] = [];
  for (const name of names) {
    const id = runIdOf(name, basePrefix);
    if (id === undefined) continue;
    if (id === ownId) {
      // We hold this id's lock, so whatever carries it is a dead run's that drew the same id.
      await dropDatabase(serverUrl, name);
      dropped.push(name);
      continue;
    }
    byRun.set(id, [...(byRun.get(id) ?? []), name]);
  }
  if (byRun.size === 0) return dropped;
  await withAdminClient(serverUrl, async (client) => {
    for (const [id, databases] of byRun) {
      const result = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS locked', [RUN_LOCK_NAMESPACE, id]);
      if (!result.rows[0]?.locked) continue; // its run is alive
      try {
        for (const name of databases) {
          await dropDatabase(serverUrl, name);
          dropped.push(name);
        }
      } finally {
        await client.query('SELECT pg_advisory_unlock($1, $2)', [RUN_LOCK_NAMESPACE, id]);
      }
    }
  });
  return dropped;
}

/**
 * The names of this run's databases on the server.
 *
 * @example
 * ```ts
 * for (const name of await listRunDatabases(serverUrl, run.prefix)) await dropDatabase(serverUrl, name);
 * ```
 */
export async function listRunDatabases(serverUrl: string, prefix: string): Promise<string[]> {
  return withAdminClient(serverUrl, async (client) => {
    const result = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1 ORDER BY 1', [likePrefix(`${prefix}_`)]);
    return result.rows.map((row) => row.datname);
  });
}

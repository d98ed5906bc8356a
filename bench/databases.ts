// The benchmark's own databases. Everything it creates is named `bench_*`, so
// it never touches the Vitest worker databases (`e2e_*`) or a demo database on
// a shared DATABASE_URL server, and a crashed run's leftovers are recognisable.
import pg from 'pg';
import { createSequelize } from '../src/db/sequelize.ts';
import { migrate } from '../src/db/migrate.ts';
import { quoteIdent, withAdminClient, withDatabase } from '../src/testing/admin.ts';

export const BENCH_PREFIX = 'bench';
export const BENCH_TEMPLATE = `${BENCH_PREFIX}_template`;

/** Drops every `bench_*` database: leftovers of a crashed run, or this run's at the end. */
export async function dropBenchDatabases(serverUrl: string): Promise<string[]> {
  return withAdminClient(serverUrl, async (client) => {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1 ORDER BY 1', [
      `${BENCH_PREFIX}\\_%`,
    ]);
    for (const { datname } of rows) {
      await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [datname]);
      await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(datname)}`);
    }
    return rows.map((row) => row.datname);
  });
}

/** Creates and migrates the template every other benchmark database is cloned from. */
export async function createBenchTemplate(serverUrl: string): Promise<string> {
  await withAdminClient(serverUrl, (client) => client.query(`CREATE DATABASE ${quoteIdent(BENCH_TEMPLATE)} TEMPLATE template0`));
  const url = withDatabase(serverUrl, BENCH_TEMPLATE);
  const sequelize = createSequelize(url);
  try {
    await migrate(sequelize);
  } finally {
    await sequelize.close();
  }
  return url;
}

/**
 * A template with `tables` tables in all: the demo's, plus empty ones shaped
 * like its own (serial primary key, a foreign key to tournaments with an index
 * on it, text and timestamp columns). For the tables-in-the-schema axis.
 */
export async function createTablesTemplate(serverUrl: string, admin: AdminConnection, tables: number): Promise<string> {
  const name = `${BENCH_TEMPLATE}_t${tables}`;
  await admin.cloneTemplate(name);
  const client = new pg.Client({ connectionString: withDatabase(serverUrl, name) });
  await client.connect();
  try {
    const base = (await appTables(client)).length;
    const ddl = Array.from({ length: Math.max(0, tables - base) }, (_, i) => {
      const table = `extra_${String(i + 1).padStart(3, '0')}`;
      return `CREATE TABLE ${table} (
        id serial PRIMARY KEY,
        tournament_id integer NOT NULL REFERENCES tournaments (id) ON DELETE CASCADE,
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now());
      CREATE INDEX ${table}_tournament_id_idx ON ${table} (tournament_id);`;
    });
    if (ddl.length) await client.query(ddl.join('\n'));
  } finally {
    await client.end();
  }
  return name;
}

/**
 * A long-lived connection to the maintenance database, for the statements a
 * strategy runs once per test (CREATE/DROP DATABASE). Reusing it gives that
 * strategy its best case: no connection set-up per test.
 */
export class AdminConnection {
  private constructor(private readonly client: pg.Client) {}

  static async open(serverUrl: string): Promise<AdminConnection> {
    const client = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
    // An idle connection whose server goes away (Ctrl-C stops the embedded
    // server) emits 'error'; unhandled, that would crash with a stack trace.
    client.on('error', () => {});
    await client.connect();
    return new AdminConnection(client);
  }

  async cloneTemplate(name: string, template = BENCH_TEMPLATE): Promise<void> {
    await this.client.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(template)}`);
  }

  async drop(name: string): Promise<void> {
    await this.client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`);
  }

  /**
   * Writes what earlier phases left in the server's buffers to disk now, and
   * waits: on a server with fsync on, a checkpoint that flushes thousands of
   * new table files takes seconds, and whatever forces the next one (DROP
   * DATABASE, or CREATE DATABASE before PostgreSQL 15) would pay for it inside
   * a timed run. `CHECKPOINT` where this role may (superuser or
   * pg_checkpoint), else a scratch database dropped: DROP DATABASE waits for a checkpoint.
   */
  async checkpoint(): Promise<'CHECKPOINT' | 'DROP DATABASE'> {
    try {
      await this.client.query('CHECKPOINT');
      return 'CHECKPOINT';
    } catch {
      const scratch = `${BENCH_PREFIX}_checkpoint`;
      await this.drop(scratch);
      await this.client.query(`CREATE DATABASE ${quoteIdent(scratch)} TEMPLATE template0`);
      await this.drop(scratch);
      return 'DROP DATABASE';
    }
  }

  async serverVersion(): Promise<string> {
    const { rows } = await this.client.query<{ version: string }>('SELECT version() AS version');
    return rows[0]?.version ?? 'unknown';
  }

  /** The server's data directory, or undefined where this role may not read it (not a superuser). */
  async dataDirectory(): Promise<string | undefined> {
    try {
      const { rows } = await this.client.query<{ data_directory: string }>('SHOW data_directory');
      return rows[0]?.data_directory;
    } catch {
      return undefined;
    }
  }

  /** The process id of this connection's backend (on the server's machine). */
  async backendPid(): Promise<number> {
    const { rows } = await this.client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    return rows[0]!.pid;
  }

  close(): Promise<void> {
    return this.client.end();
  }
}

/** The app's tables (migration bookkeeping aside). */
export async function appTables(client: pg.ClientBase): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'SequelizeMeta' ORDER BY 1`,
  );
  return rows.map((row) => row.name);
}

/**
 * The app's tables in dependency order for deleting: every table before the
 * tables it references, so no DELETE relies on ON DELETE CASCADE or trips a
 * foreign key. A cycle (here tournaments.current_battle_id -> battles ->
 * categories -> tournaments) is broken at an edge whose ON DELETE is SET NULL,
 * which deleting in either order cannot violate.
 */
export async function deletionOrder(client: pg.ClientBase): Promise<string[]> {
  const tables = await appTables(client);
  const { rows } = await client.query<{ child: string; parent: string; action: string }>(
    `SELECT cl.relname AS child, pl.relname AS parent, c.confdeltype AS action
       FROM pg_constraint c
       JOIN pg_class cl ON cl.oid = c.conrelid
       JOIN pg_class pl ON pl.oid = c.confrelid
      WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace`,
  );
  // blockers[parent] = tables whose rows must be deleted before parent's.
  const blockers = new Map<string, Set<string>>(tables.map((t) => [t, new Set<string>()]));
  for (const { child, parent, action } of rows) {
    if (child === parent || action === 'n') continue; // n = ON DELETE SET NULL
    blockers.get(parent)?.add(child);
  }
  // Kahn's topological sort, alphabetical among tables that are ready together.
  const order: string[] = [];
  const remaining = new Set(tables);
  while (remaining.size > 0) {
    const ready = [...remaining].filter((t) => [...blockers.get(t)!].every((child) => !remaining.has(child))).sort();
    if (ready.length === 0) throw new Error(`No deletion order: a foreign-key cycle without ON DELETE SET NULL among ${[...remaining].join(', ')}`);
    for (const t of ready) {
      order.push(t);
      remaining.delete(t);
    }
  }
  return order;
}

/** Rows per app table, only the tables that hold some. */
export async function leftoverRows(databaseUrl: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const counts: Record<string, number> = {};
    for (const table of await appTables(client)) {
      const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${quoteIdent(table)}`);
      const n = Number(rows[0]?.n ?? 0);
      if (n > 0) counts[table] = n;
    }
    return counts;
  } finally {
    await client.end();
  }
}

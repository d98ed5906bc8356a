// The five isolation strategies, each on the same workload, each on a database
// of its own (the ones that commit could never share one with anything else).
// A strategy is what happens around one test: `runOne` does the isolation
// set-up, the workload and the isolation clean-up, and marks its phases.
import type { Sequelize } from 'sequelize';
import pg from 'pg';
import { quoteIdent, withDatabase } from '../src/testing/admin.ts';
import { clsNamespace, createRequestOverride, hasDeferrableConstraints, installQueryGuard, kitStorage, TestSession } from '../src/testing/index.ts';
import { AdminConnection, appTables, BENCH_PREFIX, deletionOrder, leftoverRows } from './databases.ts';
import { BenchServer, buildApp, connectApp } from './stage.ts';
import { runWorkload, signInStaff, type Lap } from './workload.ts';

export const STRATEGY_KEYS = ['none', 'shared', 'truncate', 'delete', 'database'] as const;
export type StrategyKey = (typeof STRATEGY_KEYS)[number];

export interface Strategy {
  readonly key: StrategyKey;
  /** Short name for tables and charts. */
  readonly label: string;
  /** One sentence on what it does around each test. */
  readonly description: string;
  /** One test: isolation set-up, the workload, isolation clean-up. */
  /** `extraRows`: rows the test writes beyond the workload's own (the rows-per-test axis). */
  runOne(n: number, lap: Lap, extraRows?: number): Promise<void>;
  /**
   * The kit only: a block of `tests` tests in ONE transaction (suite scope),
   * with one login for the block, rolled back at its end.
   */
  runBlock?(n: number, tests: number): Promise<void>;
  /** Rows the strategy left behind (none keeps them on purpose). */
  leftovers(): Promise<Record<string, number>>;
  /** TCP connections and requests its server saw. */
  readonly server: BenchServer;
  /** Its long-lived Sequelize instance (none for database per test, which makes one per test). */
  readonly sequelize?: Sequelize;
  close(): Promise<void>;
}

export interface StrategyContext {
  serverUrl: string;
  admin: AdminConnection;
  /** The template to clone (default the migrated one), and a tag for the database names cloned from it. */
  template?: { name: string; tag: string };
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A database of the strategy's own, cloned from the migrated template. */
async function ownDatabase(ctx: StrategyContext, suffix: string): Promise<string> {
  const name = `${BENCH_PREFIX}_${ctx.template ? `${ctx.template.tag}_` : ''}${suffix}`;
  await ctx.admin.drop(name);
  await ctx.admin.cloneTemplate(name, ctx.template?.name);
  return withDatabase(ctx.serverUrl, name);
}

function closer(server: BenchServer, sequelize: Sequelize) {
  return async () => {
    await server.close();
    await sequelize.close();
  };
}

/** A: no isolation at all. Everything commits and stays: the floor. */
async function none(ctx: StrategyContext): Promise<Strategy> {
  const url = await ownDatabase(ctx, 'none');
  const db = connectApp(url);
  const server = await BenchServer.start(buildApp(db));
  return {
    key: 'none',
    label: 'none',
    description: 'No isolation: every statement commits and the rows stay. The floor the others are measured against.',
    server,
    sequelize: db.sequelize,
    runOne: (n, lap, extraRows) => runWorkload(db, server.url, n, lap, extraRows),
    leftovers: () => leftoverRows(url),
    close: closer(server, db.sequelize),
  };
}

/**
 * Once any AsyncLocalStorage has been entered, Node calls a hook on every
 * promise the process creates (to carry the store along), whatever runs. A
 * suite without the kit pays none of that, so after each kit test the storage
 * is disabled again (the next kit test's run() enables it): the strategies
 * interleaved with the kit run without the hook, and the kit's time includes it.
 * The report gives the hook's own cost (measurePromiseHook in diagnostics.ts).
 */
function leaveKitContext(): void {
  kitStorage.disable();
}

/**
 * B: the kit. Exactly what the kit's aroundEach does for a Vitest test: begin
 * the shared transaction, run the body inside the kit's AsyncLocalStorage
 * context, serve every request through the kit's request override (lock,
 * SAVEPOINT, RELEASE), and roll back at the end.
 */
async function shared(ctx: StrategyContext): Promise<Strategy> {
  const url = await ownDatabase(ctx, 'shared');
  const db = connectApp(url);
  // What the kit's `app` fixture does. useCLS is process-wide (a static of the
  // Sequelize class), so every strategy pays the CLS lookup per query alike.
  const SequelizeClass = db.sequelize.constructor as unknown as { useCLS(namespace: unknown): void };
  SequelizeClass.useCLS(clsNamespace);
  installQueryGuard(db.sequelize);
  const running: { current: TestSession | undefined } = { current: undefined };
  const server = await BenchServer.start(buildApp(db, createRequestOverride(running)));
  // As FileKit does once per file: the deferred-constraint check (a round trip
  // at each teardown) only when the schema has DEFERRABLE constraints.
  const sessionOptions = { checkDeferredConstraints: await hasDeferrableConstraints(db.sequelize) };
  return {
    key: 'shared',
    label: 'shared transaction (kit)',
    description: "The kit: one transaction per test shared by fixtures and requests (request override: lock + SAVEPOINT), rolled back after the test.",
    server,
    sequelize: db.sequelize,
    async runOne(n, lap, extraRows) {
      const session = await TestSession.begin(db.sequelize, `bench test ${n}`, sessionOptions);
      running.current = session;
      lap('begin');
      try {
        await kitStorage.run({ values: new Map<string, unknown>([['transaction', session.transaction]]), session }, () =>
          runWorkload(db, server.url, n, lap, extraRows),
        );
      } finally {
        try {
          await session.end();
        } finally {
          running.current = undefined;
          leaveKitContext();
        }
      }
      lap('rollback');
    },
    async runBlock(n, tests) {
      const session = await TestSession.begin(db.sequelize, `bench block ${n}`, sessionOptions);
      running.current = session;
      try {
        await kitStorage.run({ values: new Map<string, unknown>([['transaction', session.transaction]]), session }, async () => {
          const token = await signInStaff(db);
          for (let i = 0; i < tests; i++) await runWorkload(db, server.url, n * 1000 + i, () => {}, 0, token);
        });
      } finally {
        try {
          await session.end();
        } finally {
          running.current = undefined;
          leaveKitContext();
        }
      }
    },
    leftovers: () => leftoverRows(url),
    close: closer(server, db.sequelize),
  };
}

/**
 * The shape of C and D: every statement commits, and after each test one
 * cleanup statement (built from the database's tables) empties them again.
 */
async function commitThenClean(
  ctx: StrategyContext,
  key: 'truncate' | 'delete',
  label: string,
  cleanup: (url: string) => Promise<{ statement: string; description: string }>,
): Promise<Strategy> {
  const url = await ownDatabase(ctx, key);
  const { statement, description } = await cleanup(url);
  const db = connectApp(url);
  const server = await BenchServer.start(buildApp(db));
  return {
    key,
    label,
    description,
    server,
    sequelize: db.sequelize,
    async runOne(n, lap, extraRows) {
      await runWorkload(db, server.url, n, lap, extraRows);
      await db.sequelize.query(statement);
      lap(key);
    },
    leftovers: () => leftoverRows(url),
    close: closer(server, db.sequelize),
  };
}

/** C: commit, then TRUNCATE every table in one statement. */
function truncate(ctx: StrategyContext): Promise<Strategy> {
  return commitThenClean(ctx, 'truncate', 'commit + TRUNCATE', async (url) => {
    const tables = await withClient(url, appTables);
    return {
      statement: `TRUNCATE ${tables.map(quoteIdent).join(', ')} RESTART IDENTITY CASCADE`,
      description: `Commits, then after each test: \`TRUNCATE <all ${tables.length} tables> RESTART IDENTITY CASCADE\` (one statement).`,
    };
  });
}

/** D: commit, then DELETE FROM every table, children before parents. */
function deleteAll(ctx: StrategyContext): Promise<Strategy> {
  return commitThenClean(ctx, 'delete', 'commit + DELETE', async (url) => {
    const order = await withClient(url, deletionOrder);
    return {
      // One round trip for the whole batch (simple-query protocol): the cheapest way to send it.
      statement: order.map((table) => `DELETE FROM ${quoteIdent(table)}`).join('; '),
      description: `Commits, then after each test: \`DELETE FROM\` each table in dependency order (${order.join(', ')}), sent as one batch.`,
    };
  });
}

/**
 * E: a fresh database per test, cloned from the migrated template, with its
 * own Sequelize instance and app; closed and dropped after the test.
 */
async function databasePerTest(ctx: StrategyContext): Promise<Strategy> {
  const server = await BenchServer.start();
  const created = new Set<string>();
  return {
    key: 'database',
    label: 'database per test',
    description: 'Before each test `CREATE DATABASE ... TEMPLATE` (migrated template) and a new Sequelize + app on it; after it, close and `DROP DATABASE`.',
    server,
    async runOne(n, lap) {
      const name = `${BENCH_PREFIX}_pertest_${n}`;
      created.add(name);
      await ctx.admin.cloneTemplate(name);
      const db = connectApp(withDatabase(ctx.serverUrl, name));
      await db.sequelize.authenticate();
      server.use(buildApp(db));
      lap('create database');
      try {
        await runWorkload(db, server.url, n, lap);
      } finally {
        server.use(undefined);
        await db.sequelize.close();
        await ctx.admin.drop(name);
        created.delete(name);
      }
      lap('drop database');
    },
    // Every per-test database was dropped, so nothing can be left in one.
    leftovers: async (): Promise<Record<string, number>> => (created.size > 0 ? { 'undropped databases': created.size } : {}),
    close: () => server.close(),
  };
}

/** Builds the strategies in the order A B C D E (or only those of `keys`, in that order). */
export async function createStrategies(ctx: StrategyContext, keys: readonly StrategyKey[] = STRATEGY_KEYS): Promise<Strategy[]> {
  const builders = { none, shared, truncate, delete: deleteAll, database: databasePerTest };
  const strategies: Strategy[] = [];
  for (const key of STRATEGY_KEYS.filter((k) => keys.includes(k))) strategies.push(await builders[key](ctx));
  return strategies;
}

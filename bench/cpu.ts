// CPU time spent by the processes a Vitest run starts, and by PostgreSQL, read
// from Linux's /proc: the bench's own stat counts every child it has reaped
// (Vitest, which has reaped its workers), and the postmaster's counts every
// backend that has exited (the workers' connections; on a server shared with
// other clients, theirs too). Elsewhere: undefined.
import { readFile } from 'node:fs/promises';

/** Clock ticks per second of /proc/<pid>/stat: USER_HZ, 100 on every Linux architecture Node runs on. */
const TICKS_PER_SECOND = 100;

/** CPU milliseconds (user + system) of the reaped children of `pid`. */
export async function reapedChildrenCpuMs(pid: number | 'self'): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name (which may hold spaces); cutime and cstime are fields 16 and 17.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND) * 1000;
  } catch {
    return undefined;
  }
}

/**
 * The postmaster of a backend, when the server runs on this machine: the
 * backend's parent, both named postgres (a remote server's backend pid may be
 * any local process, or none).
 */
export async function postmasterOf(backendPid: number): Promise<number | undefined> {
  try {
    const status = (pid: number) => readFile(`/proc/${pid}/status`, 'utf8');
    const backend = await status(backendPid);
    const parent = Number(/^PPid:\s+(\d+)$/m.exec(backend)?.[1]);
    const isPostgres = (text: string) => /^Name:\s+postgres$/m.test(text);
    return isPostgres(backend) && parent > 1 && isPostgres(await status(parent)) ? parent : undefined;
  } catch {
    return undefined;
  }
}

// The machine line printed at the start of every run and written into the
// report, and the size of the code measured against the code measuring it.
import { readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join } from 'node:path';
import type { AdminConnection } from './databases.ts';

export interface MachineInfo {
  node: string;
  cores: number;
  cpu: string;
  memoryGiB: number;
  platform: string;
  postgres: string;
  /** 'embedded' or 'DATABASE_URL'. */
  postgresSource: string;
  /** Where an embedded server keeps its data directory (/dev/shm is memory); absent for DATABASE_URL and older runs. */
  dataParent?: string;
}

export async function machineInfo(admin: AdminConnection, embedded: boolean): Promise<MachineInfo> {
  const full = await admin.serverVersion();
  const cpus = os.cpus();
  return {
    node: process.version,
    cores: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
    cpu: cpus[0]?.model.trim().replace(/\s+/g, ' ') ?? 'unknown CPU',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    // "PostgreSQL 18.1 on x86_64-pc-linux-gnu, compiled by ..." -> "PostgreSQL 18.1"
    postgres: /^PostgreSQL \S+/.exec(full)?.[0] ?? full,
    postgresSource: embedded ? 'embedded' : 'DATABASE_URL',
    ...(embedded ? await dataParentOf(admin) : {}),
  };
}

async function dataParentOf(admin: AdminConnection): Promise<{ dataParent?: string }> {
  const dir = await admin.dataDirectory();
  return dir ? { dataParent: dirname(dir) } : {};
}

export function machineLine(m: MachineInfo): string {
  const source = m.dataParent ? `${m.postgresSource}, data directory in ${m.dataParent}${m.dataParent === '/dev/shm' ? ', in memory' : ''}` : m.postgresSource;
  return `${m.postgres} (${source}), Node ${m.node}, ${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB RAM, ${m.platform}`;
}

/** Lines of code of the `.ts` files directly in `dir`: blank lines and comment lines (`//`, `/* ... *\/`) not counted. */
export async function codeLines(dir: string): Promise<number> {
  let count = 0;
  for (const name of (await readdir(dir)).filter((n) => n.endsWith('.ts'))) {
    let inComment = false;
    for (const raw of (await readFile(join(dir, name), 'utf8')).split('\n')) {
      let line = raw.trim();
      if (!inComment && line.startsWith('/*')) inComment = true;
      if (inComment) {
        const end = line.indexOf('*/');
        if (end < 0) continue;
        inComment = false;
        line = line.slice(end + 2).trim();
      }
      if (line !== '' && !line.startsWith('//')) count++;
    }
  }
  return count;
}

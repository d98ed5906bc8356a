// Where the embedded server keeps its data: in memory (/dev/shm) when that is a
// writable tmpfs with room, else the OS temp dir. A server that runs with fsync
// off and is thrown away gains nothing from a disk but the cost of its writes.
import { statfsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { embeddedDataParent } from '../embedded-postgres.ts';

const TMPFS_MAGIC = 0x01021994;
const isTmpfs = (dir: string) => {
  try {
    return statfsSync(dir).type === TMPFS_MAGIC;
  } catch {
    return false;
  }
};
const memoryDirUsable = process.platform === 'linux' && isTmpfs('/dev/shm');

describe('where the embedded server keeps its data', () => {
  test.skipIf(!memoryDirUsable)('when /dev/shm is a tmpfs with the free space asked for, then the data goes there', () => {
    expect(embeddedDataParent({ minFreeBytes: 0 })).toBe('/dev/shm');
  });

  test('when the memory directory has less free space than asked for, then the temp dir', () => {
    expect(embeddedDataParent({ minFreeBytes: Number.MAX_SAFE_INTEGER })).toBe(tmpdir());
  });

  test('when the memory directory does not exist, then the temp dir', () => {
    expect(embeddedDataParent({ memoryDir: join(tmpdir(), 'no-such-memory-dir'), minFreeBytes: 0 })).toBe(tmpdir());
  });

  test.skipIf(isTmpfs(tmpdir()))('when the directory is on a disk, not a tmpfs, then the temp dir', async () => {
    const disk = await mkdtemp(join(tmpdir(), 'not-tmpfs-'));
    try {
      expect(embeddedDataParent({ memoryDir: disk, minFreeBytes: 0 })).toBe(tmpdir());
    } finally {
      await rm(disk, { recursive: true, force: true });
    }
  });
});

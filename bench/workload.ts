// The unit of work every strategy runs once per "test", exactly as the issue
// defines it: a user, a tournament and a category created through the
// factories, then two authenticated HTTP requests over axios to the in-process
// server (a read and a write), with assertions. Only the isolation around it
// changes from one strategy to the next.
import assert from 'node:assert/strict';
import { signSessionToken } from '../src/app/auth/session.ts';
import { createTestClient } from '../src/testing/index.ts';
import { BENCH_SESSION_SECRET, type AppDatabase } from './stage.ts';

/** Marks the end of a named phase of the current test (for the per-phase breakdown). */
export type Lap = (phase: string) => void;

export const WORKLOAD_PHASES = ['user', 'tournament + category', 'read request', 'write request'] as const;

/** Rows the workload writes per test without extra rows: a user, a tournament, a category, and the category the write request creates. */
export const BASE_ROWS = 4;

/** A fresh staff user and a real token for them, the way the kit's clientFor signs in. */
export async function signInStaff(db: AppDatabase): Promise<string> {
  const user = await db.factories.user('staff');
  return signSessionToken(user.id, BENCH_SESSION_SECRET);
}

/** `token`: sign in as that user instead of a fresh one (the suite-scope variant logs in once per block). */
export async function runWorkload(db: AppDatabase, baseUrl: string, n: number, lap: Lap, extraRows = 0, token?: string): Promise<void> {
  const { factories } = db;

  token ??= await signInStaff(db);
  lap('user');

  const tournament = await factories.tournament();
  const category = await factories.category({ tournamentId: tournament.id });
  assert.equal(category.tournamentId, tournament.id);
  // The rows-per-test axis: more rows in one INSERT, so the statement count stays the same.
  if (extraRows > 0) {
    await db.models.Category.bulkCreate(Array.from({ length: extraRows }, (_, i) => ({ tournamentId: tournament.id, name: `Extra ${n}-${i}` })));
  }
  lap('tournament + category');

  const client = createTestClient(baseUrl, { authorization: `Bearer ${token}` });

  const read = await client.get(`/tournaments/${tournament.id}`);
  assert.equal(read.status, 200, `GET /tournaments/:id answered ${read.status}: ${JSON.stringify(read.data)}`);
  assert.equal(read.data.id, tournament.id);
  assert.equal(read.data.name, tournament.name);
  lap('read request');

  const write = await client.post(`/tournaments/${tournament.id}/categories`, { name: `Bench write ${n}` });
  assert.equal(write.status, 201, `POST /tournaments/:id/categories answered ${write.status}: ${JSON.stringify(write.data)}`);
  assert.equal(write.data.tournamentId, tournament.id);
  assert.notEqual(write.data.id, category.id);
  lap('write request');
}

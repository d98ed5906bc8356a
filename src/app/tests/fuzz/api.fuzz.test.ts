// The fuzz in `npm test`: a few hundred generated requests (every route, every
// role, bodies, path ids, query strings, headers) against the production app
// on a committed scratch database; no answer may be a 5xx, hang, or break the
// error shape. `npm run fuzz` runs the same property 10,000 times.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { seedDemo } from '../../seed.ts';
import { startCommittedApp, type CommittedApp } from '../races/committed.ts';
import { runFuzz } from './api-fuzz.ts';

const CASES = 300;

let app: CommittedApp;

beforeAll(async () => {
  app = await startCommittedApp('fuzz');
  // A tournament, a category of four dancers, its bracket and event mode: rows for the small path ids to hit.
  await seedDemo(app.models, app.sequelize);
});

afterAll(async () => {
  await app?.close();
});

test(`when ${CASES} generated requests hit every route as every role, then none is a 5xx or hangs and every error has the documented shape`, async () => {
  const report = await runFuzz({ url: app.url, freshToken: async (role) => (await app.user(role)).token }, { cases: CASES, timeLimitMs: 40_000 });

  expect(report.cases).toBe(CASES);
  // The fuzz reached past validation: some requests succeeded and some were refused for each reason.
  expect(Object.keys(report.statuses).map(Number)).toEqual(expect.arrayContaining([200, 201, 400, 401, 403, 404]));
}, 60_000);

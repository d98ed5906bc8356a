// The app's configuration rules on their own, without a server: the session
// key length (also enforced by createApp, so no code path builds an app with a
// weak key) and when the demo accounts are seeded. server.startup.process.test.ts runs
// the same rules through `npm start`.
import { describe, expect, test } from 'vitest';
import { createApp } from '../app.ts';
import { checkSessionSecret } from '../auth/session.ts';
import type { Models } from '../models/index.ts';
import { seedPlan } from '../seed.ts';
import type { Sequelize } from 'sequelize';

describe('the session secret', () => {
  test.each([
    ['', 0],
    ['x', 1],
    ['a'.repeat(31), 31],
    // Bytes, not characters: 15 'é' are 30 bytes (16 are 32, accepted below).
    ['é'.repeat(15), 30],
  ])('when it is %j, then it is refused as %i bytes', (secret, bytes) => {
    expect(() => checkSessionSecret(secret)).toThrow(`The session secret is ${bytes} bytes; it must be at least 32`);
  });

  test.each([['a'.repeat(32)], ['é'.repeat(16)], ['0123456789abcdef'.repeat(4)]])('when it is %j, then it is accepted', (secret) => {
    expect(() => checkSessionSecret(secret)).not.toThrow();
  });

  test('when createApp is given a short secret, then it throws before building anything', () => {
    // No query runs: the check comes first, so these stand-ins are never touched.
    const options = { sequelize: {} as Sequelize, models: {} as Models, sessionSecret: 'short' };

    expect(() => createApp(options)).toThrow('The session secret is 5 bytes; it must be at least 32');
  });
});

describe('seeding the demo accounts', () => {
  test.each([
    [{}, { seed: true, passwords: 'public' }],
    [{ NODE_ENV: 'development' }, { seed: true, passwords: 'public' }],
    [{ NODE_ENV: 'production' }, { seed: false, reason: expect.stringMatching(/^NODE_ENV=production: no demo accounts seeded/) }],
    [{ NODE_ENV: 'production', SEED_DEMO: '1' }, { seed: true, passwords: 'random' }],
    [{ NODE_ENV: 'production', SEED_DEMO: 'yes' }, { seed: false, reason: expect.any(String) }],
    [{ SEED_DEMO: '0' }, { seed: false, reason: 'SEED_DEMO=0: no demo data seeded' }],
    [{ NODE_ENV: 'production', SEED_DEMO: '0' }, { seed: false, reason: 'SEED_DEMO=0: no demo data seeded' }],
  ])('when the environment is %j, then the plan is %j', (env, plan) => {
    expect(seedPlan(env)).toEqual(plan);
  });
});

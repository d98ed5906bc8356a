import { randomBytes } from 'node:crypto';
import type { Sequelize } from 'sequelize';
import type { Models, Role } from './models/index.ts';
import { hashPassword } from './auth/password.ts';
import { createBracket } from './bracket.ts';

export interface DemoCredential {
  role: Role;
  email: string;
  password: string;
}

/** Demo accounts, one per role. The passwords are public on purpose: this is a local demo. */
export const DEMO_CREDENTIALS: DemoCredential[] = (['admin', 'staff', 'mc', 'judge'] as const).map((role) => ({
  role,
  email: `${role}@example.com`,
  password: `${role}-password`,
}));

/** Whether `npm start` seeds the demo, and with which passwords. */
export type SeedPlan = { seed: true; passwords: 'public' | 'random' } | { seed: false; reason: string };

/**
 * The seeding rule of `npm start`. Outside production the demo is seeded with
 * the public passwords above. With `NODE_ENV=production` nothing is seeded (a
 * real database must never get `admin@example.com / admin-password`), unless
 * `SEED_DEMO=1` asks for it, and then the passwords are random and printed
 * once. `SEED_DEMO=0` turns seeding off anywhere.
 */
export function seedPlan(env: Record<string, string | undefined>): SeedPlan {
  if (env.SEED_DEMO === '0') return { seed: false, reason: 'SEED_DEMO=0: no demo data seeded' };
  if (env.NODE_ENV !== 'production') return { seed: true, passwords: 'public' };
  if (env.SEED_DEMO === '1') return { seed: true, passwords: 'random' };
  return { seed: false, reason: 'NODE_ENV=production: no demo accounts seeded (SEED_DEMO=1 seeds them with random passwords, printed once)' };
}

export const DEMO_TOURNAMENT = 'Demo Jam';

/**
 * Seeds the demo: one user per role, a tournament with one category of four
 * dancers, its bracket, and event mode on (pointing at the first battle).
 * Idempotent: when the admin account already exists (a reused DATABASE_URL),
 * nothing is written. Returns the credentials to print: with random passwords
 * only when they were just created (they are stored hashed, so a later start
 * cannot print them again, and returns none).
 */
export async function seedDemo(models: Models, sequelize: Sequelize, options: { passwords?: 'public' | 'random' } = {}): Promise<DemoCredential[]> {
  const { User, Tournament, Category, Dancer } = models;
  const random = options.passwords === 'random';
  if (await User.findOne({ where: { email: DEMO_CREDENTIALS[0]!.email } })) return random ? [] : DEMO_CREDENTIALS;
  const credentials = random ? DEMO_CREDENTIALS.map((c) => ({ ...c, password: randomBytes(18).toString('base64url') })) : DEMO_CREDENTIALS;

  const { tournament, category } = await sequelize.transaction(async (transaction) => {
    for (const { role, email, password } of credentials) {
      const name = `Demo ${role[0]!.toUpperCase()}${role.slice(1)}`;
      await User.create({ email, name, role, passwordHash: await hashPassword(password) }, { transaction });
    }
    const tournament = await Tournament.create({ name: DEMO_TOURNAMENT, startsOn: new Date().toISOString().slice(0, 10) }, { transaction });
    const category = await Category.create({ tournamentId: tournament.id, name: 'Breaking 1 vs 1' }, { transaction });
    for (const name of ['B-Boy Storm', 'B-Girl Ayumi', 'B-Boy Lilou', 'B-Girl Terra']) {
      await Dancer.create({ categoryId: category.id, name }, { transaction });
    }
    return { tournament, category };
  });
  // createBracket opens its own transaction: the bracket is built exactly as the HTTP route builds it.
  const [first] = await createBracket(sequelize, models, category.id);
  await tournament.update({ eventMode: true, currentBattleId: first?.id ?? null });
  return credentials;
}

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

export const DEMO_TOURNAMENT = 'Demo Jam';

/**
 * Seeds the demo: one user per role, a tournament with one category of four
 * dancers, its bracket, and event mode on (pointing at the first battle).
 * Idempotent: when the admin account already exists (a reused DATABASE_URL),
 * nothing is written. Returns the credentials to print.
 */
export async function seedDemo(models: Models, sequelize: Sequelize): Promise<DemoCredential[]> {
  const { User, Tournament, Category, Dancer } = models;
  if (await User.findOne({ where: { email: DEMO_CREDENTIALS[0]!.email } })) return DEMO_CREDENTIALS;

  const { tournament, category } = await sequelize.transaction(async (transaction) => {
    for (const { role, email, password } of DEMO_CREDENTIALS) {
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
  return DEMO_CREDENTIALS;
}

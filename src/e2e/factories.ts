import { randomBytes } from 'node:crypto';
import { hashPassword } from '../app/auth/password.ts';
import type {
  BattleInstance,
  CategoryInstance,
  DancerInstance,
  Models,
  Role,
  TournamentInstance,
  UserInstance,
} from '../app/models/index.ts';

/** The password of every user `factories.user()` creates, so a test can log in for real. */
export const FACTORY_PASSWORD = 'factory-password';

// scrypt is slow on purpose (tens of ms); hashing once per process and reusing
// the hash keeps factories fast. Lazy, so importing this module costs nothing.
let passwordHash: Promise<string> | undefined;
const factoryPasswordHash = () => (passwordHash ??= hashPassword(FACTORY_PASSWORD));

// Unique per call across workers and runs: counter + pid + random suffix.
let counter = 0;
function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}-${randomBytes(3).toString('hex')}`;
}

type Attrs<T> = Partial<Omit<T, 'id' | 'createdAt' | 'updatedAt'>>;
type Plain<I> = { [K in keyof I as I[K] extends (...args: never[]) => unknown ? never : K]: I[K] };

export type UserAttrs = Attrs<Plain<UserInstance>>;
export type TournamentAttrs = Attrs<Plain<TournamentInstance>>;
export type CategoryAttrs = Attrs<Plain<CategoryInstance>>;
export type DancerAttrs = Attrs<Plain<DancerInstance>>;
export type BattleAttrs = Attrs<Plain<BattleInstance>>;

export interface Factories {
  user(role: Role, attrs?: UserAttrs): Promise<UserInstance>;
  tournament(attrs?: TournamentAttrs): Promise<TournamentInstance>;
  category(attrs?: CategoryAttrs): Promise<CategoryInstance>;
  dancer(attrs?: DancerAttrs): Promise<DancerInstance>;
  /** A pending round-1 battle; without dancerAId/dancerBId it creates two dancers (pass null for an empty slot). */
  battle(attrs?: BattleAttrs): Promise<BattleInstance>;
}

/**
 * Row factories for tests. Each call creates ONE row with unique values, and
 * creates missing parents (a category without tournamentId gets a new
 * tournament, and so on). No `transaction` option is passed anywhere: inside a
 * test the kit's CLS namespace puts every query into the test's transaction.
 */
export function createFactories(models: Models): Factories {
  const { User, Tournament, Category, Dancer, Battle } = models;

  const factories: Factories = {
    async user(role, attrs = {}) {
      const key = unique(role);
      return User.create({
        email: `${key}@example.test`,
        name: `User ${key}`,
        role,
        passwordHash: await factoryPasswordHash(),
        ...attrs,
      });
    },

    async tournament(attrs = {}) {
      return Tournament.create({ name: unique('Tournament'), ...attrs });
    },

    async category(attrs = {}) {
      const tournamentId = attrs.tournamentId ?? (await factories.tournament()).id;
      return Category.create({ name: unique('Category'), ...attrs, tournamentId });
    },

    async dancer(attrs = {}) {
      const categoryId = attrs.categoryId ?? (await factories.category()).id;
      return Dancer.create({ name: unique('Dancer'), ...attrs, categoryId });
    },

    async battle(attrs = {}) {
      const categoryId = attrs.categoryId ?? (await factories.category()).id;
      const dancerAId = attrs.dancerAId !== undefined ? attrs.dancerAId : (await factories.dancer({ categoryId })).id;
      const dancerBId = attrs.dancerBId !== undefined ? attrs.dancerBId : (await factories.dancer({ categoryId })).id;
      // The counter keeps (category, round, position) unique when a test passes one category to many battles.
      counter += 1;
      return Battle.create({ round: 1, position: counter, ...attrs, categoryId, dancerAId, dancerBId });
    },
  };
  return factories;
}

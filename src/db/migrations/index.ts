import type { QueryInterface } from 'sequelize';
import * as initialSchema from './0001-initial-schema.ts';

/** One schema change; `up` and `down` receive Sequelize's QueryInterface. */
export interface Migration {
  name: string;
  up(queryInterface: QueryInterface): Promise<void>;
  down(queryInterface: QueryInterface): Promise<void>;
}

/**
 * Every migration, in order. Listed explicitly (no glob) so that the same list
 * runs under tsx (`npm start`), Vitest's global setup and the benchmark alike.
 */
export const migrations: Migration[] = [{ name: '0001-initial-schema', ...initialSchema }];

import { createRequire } from 'node:module';
import { createGlobalSetup } from 'sequelize-shared-session';

const { migrate, seed } = createRequire(import.meta.url)('../src/schema.js');

// Migrates the template once, then seeds it: every worker database is a clone with the seed rows,
// and the leak check compares row counts with the template's.
export default createGlobalSetup({ migrate, seed });

// Vitest global setup for this repository: PostgreSQL plus the migrated template
// every worker database is cloned from. The kit does the work; this file only
// says how the demo app migrates a database.
import { createGlobalSetup } from '../testing/global-setup.ts';
import { createSequelize } from '../db/sequelize.ts';
import { migrate } from '../db/migrate.ts';

export default createGlobalSetup({
  async migrate(databaseUrl) {
    const sequelize = createSequelize(databaseUrl);
    try {
      await migrate(sequelize);
    } finally {
      await sequelize.close();
    }
  },
});

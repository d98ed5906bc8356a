// PostgreSQL (embedded, or DATABASE_URL) and the migrated template, once per run.
// #region global-setup
module.exports = require('sequelize-shared-session/jest').createJestGlobalSetup({ migrate: require('../src/migrate') });
// #endregion global-setup

// PostgreSQL (embedded, or DATABASE_URL) and the migrated template, once per run.
module.exports = require('sequelize-shared-session/jest').createJestGlobalSetup({ migrate: require('../src/migrate') });

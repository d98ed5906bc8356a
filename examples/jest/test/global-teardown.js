module.exports = require('sequelize-shared-session/jest').jestGlobalTeardown;

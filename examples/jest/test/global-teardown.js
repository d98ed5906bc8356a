// #region global-teardown
module.exports = require('sequelize-shared-session/jest').jestGlobalTeardown;
// #endregion global-teardown

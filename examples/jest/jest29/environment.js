// The kit's environment on the jest-environment-node of this folder (29), not the kit's own pick.
// #region environment
const { TestEnvironment } = require('jest-environment-node');
module.exports = require('sequelize-shared-session/jest').sharedSessionEnvironment(TestEnvironment);
// #endregion environment

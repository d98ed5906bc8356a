// Jest 30. The four kit lines: testEnvironment, setupFilesAfterEnv, globalSetup, globalTeardown.
// #region config
module.exports = {
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.js'],
  testEnvironment: 'sequelize-shared-session/jest-environment',
  setupFilesAfterEnv: ['<rootDir>/test/kit.js'],
  globalSetup: '<rootDir>/test/global-setup.js',
  globalTeardown: '<rootDir>/test/global-teardown.js',
};
// #endregion config

// The same tests (in ..) on Jest 29, with this folder's jest-environment-node 29:
// the environment is the kit's mixin applied to it.
module.exports = {
  ...require('../jest.config.js'),
  rootDir: '..',
  testEnvironment: '<rootDir>/jest29/environment.js',
};

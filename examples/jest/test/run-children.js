// Runs a child Jest (the same version as this run) over some of test/children/*.child.js
// and returns its JSON report. The child makes its own run on this run's PostgreSQL
// server (DATABASE_URL), so its databases never meet this run's.
const { spawnSync } = require('node:child_process');
const { readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, resolve } = require('node:path');
const { providedDatabase } = require('sequelize-shared-session');

const root = resolve(__dirname, '..');

/** `projects(project)` lists the child's projects, each made by `project(childName, configOverrides)`. */
exports.runChildJest = async (projects) => {
  const base = require(join(process.cwd(), 'jest.config.js')); // ../jest.config.js, or jest29/jest.config.js
  const project = (name, overrides) => ({
    displayName: name, rootDir: root, testEnvironment: base.testEnvironment, setupFilesAfterEnv: ['<rootDir>/test/kit.js'],
    testMatch: [`<rootDir>/test/children/${name}.child.js`], ...overrides,
  });
  const config = {
    rootDir: root, globalSetup: '<rootDir>/test/global-setup.js', globalTeardown: '<rootDir>/test/global-teardown.js',
    projects: projects(project),
  };
  const env = { ...process.env, DATABASE_URL: (await providedDatabase()).serverUrl };
  delete env.E2E_KIT_DATABASE_INFO;
  delete env.JEST_WORKER_ID;
  const output = join(tmpdir(), `jest-example-children-${process.pid}-${Date.now()}.json`);
  const jest = join(process.cwd(), 'node_modules/jest/bin/jest.js');
  const child = spawnSync(process.execPath, [jest, '--ci', '--json', `--outputFile=${output}`, '--maxWorkers=2', '--config', JSON.stringify(config)], { env, encoding: 'utf8', timeout: 60_000 });
  try {
    return JSON.parse(readFileSync(output, 'utf8'));
  } catch {
    throw new Error(`the child Jest wrote no report (exit ${child.status}):\n${child.stdout}\n${child.stderr}`);
  } finally {
    rmSync(output, { force: true });
  }
};

'use strict';
// `npm test`: node:test has no global setup on Node 20, so this script is one.
// It starts PostgreSQL and migrates the template once, runs `node --test` (the
// files inherit the environment that says where the template is), then checks
// and drops every database, stops PostgreSQL, and exits with the tests' status.
const { spawn } = require('node:child_process');
const { readdirSync } = require('node:fs');
const { join } = require('node:path');
const { createGlobalSetup } = require('sequelize-shared-session');
const { migrate } = require('../src/migrate');

const SIGNALS = { SIGINT: 2, SIGTERM: 15 };

async function main() {
  let child;
  let stopped;
  for (const signal of Object.keys(SIGNALS)) {
    process.on(signal, () => {
      stopped ??= signal;
      child?.kill(signal);
    });
  }
  console.log(`[run] Node ${process.version}`);
  // #region global-setup
  const teardown = await createGlobalSetup({ migrate, prefix: 'nodetest' })();
  let status = 1;
  try {
    if (!stopped) {
      const files = readdirSync(__dirname).filter((name) => name.endsWith('.test.js')).map((name) => join(__dirname, name));
      child = spawn(process.execPath, ['--test', ...process.argv.slice(2), ...files], { stdio: 'inherit', env: process.env });
      status = await new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
    }
  } finally {
    try {
      await teardown();
    } catch (error) {
      // After a signal, embedded PostgreSQL may already be stopping (it cleans up on signals itself).
      console.error(stopped ? `[run] teardown after ${stopped}: ${error.message}` : error);
      status ||= 1;
    }
  }
  // #endregion global-setup
  return stopped ? 128 + SIGNALS[stopped] : status;
}

main().then((status) => process.exit(status), (error) => {
  console.error(error);
  process.exit(1);
});

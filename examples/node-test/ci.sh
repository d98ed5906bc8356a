#!/usr/bin/env bash
# The node:test example from a clean install, on Node 20, 22 and 24.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
npm install --no-save --no-audit --no-fund ../../.tmp/sequelize-shared-session-*.tgz
case "$(node --version)" in
  v20.*) npm test ;;
  *) npx -y node@20 test/run.js ;;
esac
npx -y node@22 test/run.js
npx -y node@24 test/run.js

#!/usr/bin/env bash
# CI for the Jest example: install the packed kit (npm run kit:pack at the repository root
# writes it), run the tests on Jest 30, then the same tests on Jest 29 (jest29/), each on this
# machine's Node and again on Node 24 (AsyncLocalStorage in async context frames by default).
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
npm install --no-save --no-audit --no-fund ../../.tmp/sequelize-shared-session-*.tgz
npm test
npx -y node@24 node_modules/jest/bin/jest.js
(cd jest29 && npm ci --no-audit --no-fund && npm test && npx -y node@24 node_modules/jest/bin/jest.js)

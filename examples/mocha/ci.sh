#!/usr/bin/env bash
# The Mocha example from a clean install: its lockfile, then the packed kit,
# then the suite on Mocha 11 (one process, then --parallel, then --parallel on Node 24) and on Mocha 10.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
npm install --no-save --no-audit --no-fund ../../.tmp/sequelize-shared-session-*.tgz
npm test
npm run test:parallel
npx -y node@24 node_modules/mocha/bin/mocha.js --parallel --jobs 2
npx -y mocha@10.8.2
npx -y mocha@10.8.2 --parallel --jobs 2

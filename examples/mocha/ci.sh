#!/usr/bin/env bash
# The Mocha example from a clean install: its lockfile, then the packed kit,
# then the suite on Mocha 11 (one process, then --parallel, then --parallel on the other end of the kit's engines) and on Mocha 10.
set -euo pipefail
cd "$(dirname "$0")"
# The other end of the kit's engines: Node 20 (AsyncLocalStorage on promise hooks) where this
# Node is newer (CI runs .nvmrc's Node 24), Node 24 (async context frames) where this is Node 20.
other_node="$(node -p 'process.versions.node.startsWith("20.") ? 24 : 20')"
npm ci --no-audit --no-fund
npm install --no-save --no-audit --no-fund ../../.tmp/sequelize-shared-session-*.tgz
npm test
npm run test:parallel
npx -y "node@$other_node" node_modules/mocha/bin/mocha.js --parallel --jobs 2
npx -y mocha@10.8.2
npx -y mocha@10.8.2 --parallel --jobs 2

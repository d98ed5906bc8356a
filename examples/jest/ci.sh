#!/usr/bin/env bash
# CI for the Jest example: install the packed kit (npm run kit:pack at the repository root
# writes it), run the tests on Jest 30, then the same tests on Jest 29 (jest29/), each on this
# machine's Node and again on the other end of the kit's engines (Node 20 or 24).
set -euo pipefail
cd "$(dirname "$0")"
# The other end of the kit's engines: Node 20 (AsyncLocalStorage on promise hooks) where this
# Node is newer (CI runs .nvmrc's Node 24), Node 24 (async context frames) where this is Node 20.
other_node="$(node -p 'process.versions.node.startsWith("20.") ? 24 : 20')"
npm ci --no-audit --no-fund
npm install --no-save --no-audit --no-fund ../../.tmp/sequelize-shared-session-*.tgz
npm test
npx -y "node@$other_node" node_modules/jest/bin/jest.js
(cd jest29 && npm ci --no-audit --no-fund && npm test && npx -y "node@$other_node" node_modules/jest/bin/jest.js)

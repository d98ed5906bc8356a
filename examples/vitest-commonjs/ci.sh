#!/usr/bin/env bash
# CI for this example: a clean install, the packed kit on top (not listed in
# package.json), then the tests. --legacy-peer-deps: the kit's optional peer
# range for embedded-postgres (>=17.0.0-beta.0) does not match its 18.x betas
# under npm's semver rules, which ERESOLVE would otherwise refuse.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
npm install --no-save --no-audit --no-fund --legacy-peer-deps ../../.tmp/sequelize-shared-session-*.tgz
npm test

#!/usr/bin/env bash
# CI for this example: a clean install, the packed kit on top (not listed in
# package.json), then the tests. --legacy-peer-deps: the kit's optional peer
# range for embedded-postgres (>=17.0.0-beta.0) does not match its 18.x betas
# under npm's semver rules, which ERESOLVE would otherwise refuse.
set -euo pipefail
cd "$(dirname "$0")"
# The other end of the kit's engines: Node 20 (AsyncLocalStorage on promise hooks) where this
# Node is newer (CI runs .nvmrc's Node 24), Node 24 (async context frames) where this is Node 20.
other_node="$(node -p 'process.versions.node.startsWith("20.") ? 24 : 20')"
npm ci --no-audit --no-fund
npm install --no-save --no-audit --no-fund --legacy-peer-deps ../../.tmp/sequelize-shared-session-*.tgz
npm test

# The singleton with a shared module graph: the same files with isolate: false, the kit's setup
# entry and one worker (vitest.no-isolate.config.mjs). The first file's connect builds the singleton;
# the later files run on it, which works because the kit is built once per worker and closes the
# singleton only when the worker ends. Required: every test passes (the expected failure included),
# in one worker, and every file but the first ran after another file in that worker.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
npm run test:no-isolate -- --reporter=default --reporter=json --outputFile="$scratch/no-isolate.json"
node -e '
  const report = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
  const tests = report.testResults.flatMap((f) => f.assertionResults);
  const workers = new Set(tests.map((t) => t.meta?.worker?.pid));
  const numbers = new Set(tests.map((t) => t.meta?.worker?.fileNumber));
  const files = report.testResults.length;
  if (tests.some((t) => !t.meta?.worker) || workers.size !== 1 || numbers.size !== files || Math.max(...numbers) !== files) {
    console.error(`files did not share one worker: ${JSON.stringify(tests.map((t) => t.meta?.worker))}`);
    process.exit(1);
  }
  console.log(`singleton shared: ${files} files, ${tests.length} tests, one worker (pid ${[...workers][0]})`);
' "$scratch/no-isolate.json"

echo "the suite again on Node $other_node"
npx -y "node@$other_node" node_modules/vitest/vitest.mjs run

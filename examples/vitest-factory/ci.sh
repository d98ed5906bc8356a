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

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

# The tests, with a JSON report beside the usual output: the files of a worker share one module
# graph, so some file must have started as the second (or later) file of its worker's graph.
# Each file's probe test asserts that the file got the Sequelize instance of its worker's first
# file (the kit is built once per worker); a second file is what makes that assertion bite.
npm test -- --reporter=default --reporter=json --outputFile="$scratch/report.json"
node -e '
  const report = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
  const files = report.testResults.flatMap((f) => f.assertionResults.map((t) => t.meta?.moduleGraph).filter(Boolean));
  const shared = Math.max(0, ...files.map((f) => f.fileNumber));
  if (files.length !== report.testResults.length || shared < 2) {
    console.error(`module graph not shared: ${JSON.stringify(files)}`);
    process.exit(1);
  }
  console.log(`module graph and kit shared: up to ${shared} files in one worker, on its one Sequelize instance (${JSON.stringify(files)})`);
' "$scratch/report.json"

# The negative control: the same files with isolate: false and without the kit's setup entry
# must fail, with the kit's message naming every file but the first of the one worker.
echo "negative control: vitest.no-setup.config.mjs must fail with 'The kit hook is not registered in this file'"
status=0
npm run test:no-setup > "$scratch/no-setup.txt" 2>&1 || status=$?
sed 's/\x1b\[[0-9;]*m//g' "$scratch/no-setup.txt" > "$scratch/no-setup.plain.txt"
named=$(grep -oE 'The kit hook is not registered in this file: [^ ]+\.test\.mjs' "$scratch/no-setup.plain.txt" | sort -u || true)
if [ "$status" -eq 0 ] || [ "$(grep -c . <<<"$named")" -ne 2 ]; then
  cat "$scratch/no-setup.plain.txt"
  echo "negative control FAILED: exit status $status, expected non-zero and the kit's message for 2 files, got:"
  echo "${named:-(none)}"
  exit 1
fi
echo "negative control passed: exit status $status,"
echo "$named"

echo "the suite again on Node $other_node"
npx -y "node@$other_node" node_modules/vitest/vitest.mjs run

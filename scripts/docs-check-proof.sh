#!/usr/bin/env bash
# Proves that the documentation checks fail when they should: copies the
# working tree to a temporary folder (node_modules symlinked), breaks one thing
# at a time (an included region, a region marker, a link, an anchor,
# WORKBENCH.md's counts, the test output, a type-checked snippet, an error
# heading, a kit message, a green run, an @example) and prints the exit code
# and first lines of `docs:check` (or `typedoc`) for each. The baseline and the
# final run must say rc=0, every broken case rc!=0.
# Needs a green `npm test 2>&1 | tee .tmp/test-output.txt` first. Not part of CI.
set -u
SRC=$(cd "$(dirname "$0")/.." && pwd)
P=$(mktemp -d)
trap 'rm -rf "$P"' EXIT
tar -C $SRC --exclude=./node_modules --exclude=./.git --exclude=./docs/api -cf - . | tar -C $P -xf -
ln -s $SRC/node_modules $P/node_modules
cd "$P"
run() { npx tsx scripts/docs-check.ts "$@" > .tmp/out.txt 2>&1; echo "rc=$?"; grep -v "^docs:check: \(updated\|not type\)" .tmp/out.txt | head -5; }
echo "## baseline"; run
echo "## 1. region changed in the test file (snippet drift)"
sed -i "s/name: 'Visible Cup'/name: 'Visible Cup!'/" src/e2e/kit.visibility.test.ts; run; cp $SRC/src/e2e/kit.visibility.test.ts src/e2e/
echo "## 2. region marker removed"
sed -i "/#region fixture-visible/d" src/e2e/kit.visibility.test.ts; run; cp $SRC/src/e2e/kit.visibility.test.ts src/e2e/
echo "## 3. broken relative link"
sed -i "s#(docs/architecture.md)#(docs/architecture.mdx)#" TESTING.md; run; cp $SRC/TESTING.md .
echo "## 4. broken anchor"
sed -i "s#(\#summing-up)#(\#summing-up-x)#" TESTING.md; run; cp $SRC/TESTING.md .
echo "## 5. WORKBENCH.md counts differ from the run"
perl -0pi -e 's/(Tests\s+)(\d+)( passed)/$1.($2+1).$3/e' WORKBENCH.md; run; cp $SRC/WORKBENCH.md .
echo "## 6. test output missing"
run --test-output .tmp/nope.txt
echo "## 7. a TS block that does not compile"
perl -0pi -e "s/staff.post\('\/tournaments', \{ name: 'Spring Battle'/staff.postt('\/tournaments', { name: 'Spring Battle'/" TESTING.md; run; cp $SRC/TESTING.md .
echo "## 8. a kit error heading missing from the kit's FAQ.md"
sed -i 's/^### Rows left behind$/### Rows left over/' src/testing/FAQ.md; run; cp $SRC/src/testing/FAQ.md src/testing/
echo "## after restoring"; run
echo "## 9. a kit error reworded in src/testing (quoted message drifts)"
sed -i "s/so it would not see the test's rows/so it would not see the test rows/" src/testing/query-guard.ts; run; cp $SRC/src/testing/query-guard.ts src/testing/
echo "## 10. the last run was red"
sed 's/\x1b\[[0-9;]*m//g; s/Test Files  \([0-9]*\) passed/Test Files  1 failed | \1 passed/' .tmp/test-output.txt > .tmp/red.txt; run --test-output .tmp/red.txt
echo "## 11. TypeDoc: an export loses its @example"
perl -0pi -e 's/ \*\n \* \@example\n \* ```ts\n \* const lock = new Mutex\(\);.*?```\n//s' src/testing/lock.ts
npx typedoc --out .tmp/api > .tmp/out.txt 2>&1; echo "rc=$?"; sed 's/\x1b\[[0-9;]*m//g' .tmp/out.txt | grep -v "^\[info\]" | head -3; cp $SRC/src/testing/lock.ts src/testing/
echo "## final"; run

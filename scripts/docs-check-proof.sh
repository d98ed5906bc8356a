#!/usr/bin/env bash
# Proves that the documentation checks fail when they should: copies the
# working tree to a temporary folder (node_modules symlinked), breaks one thing
# at a time (an included region, a region marker, a link, an anchor,
# WORKBENCH.md's counts, the test output, a type-checked snippet, an error
# heading, a kit message, a green run, an @example, an include marker, a
# fence, markdown that a line scanner misreads) and prints the exit code and
# first lines of `docs:check` (or `typedoc`) for each. The baseline, the
# "not broken" case and the final run must say rc=0, every broken case rc!=0.
# Needs a green `npm test 2>&1 | tee .tmp/test-output.txt` and
# `npm run test:processes 2>&1 | tee .tmp/test-output-processes.txt` first. Not part of CI.
set -u
SRC=$(cd "$(dirname "$0")/.." && pwd)
P=$(mktemp -d)
# Each case restores its files from ORIG, a second copy taken at the same moment,
# so that edits made meanwhile in the working tree do not leak into the cases.
ORIG=$(mktemp -d)
trap 'rm -rf "$P" "$ORIG"' EXIT
tar -C $SRC --exclude=./node_modules --exclude=./.git --exclude=./docs/api -cf - . | tar -C $P -xf -
cp -a $P/. $ORIG/
ln -s $SRC/node_modules $P/node_modules
cd "$P"
run() { npx tsx scripts/docs-check.ts "$@" > .tmp/out.txt 2>&1; echo "rc=$?"; grep -v "^docs:check: \(updated\|not type\)" .tmp/out.txt | head -5; }
echo "## baseline"; run
echo "## 1. region changed in the test file (snippet drift)"
sed -i "s/name: 'Visible Cup'/name: 'Visible Cup!'/" src/e2e/kit.visibility.test.ts; run; cp $ORIG/src/e2e/kit.visibility.test.ts src/e2e/
echo "## 2. region marker removed"
sed -i "/#region fixture-visible/d" src/e2e/kit.visibility.test.ts; run; cp $ORIG/src/e2e/kit.visibility.test.ts src/e2e/
echo "## 3. broken relative link"
sed -i "s#(docs/architecture.md)#(docs/architecture.mdx)#" TESTING.md; run; cp $ORIG/TESTING.md .
echo "## 4. broken anchor"
sed -i "s#(\#the-rules)#(\#the-rules-x)#" TESTING.md; run; cp $ORIG/TESTING.md .
echo "## 5. WORKBENCH.md counts differ from the run"
perl -0pi -e 's/(Tests\s+)(\d+)( passed)/$1.($2+1).$3/e' WORKBENCH.md; run; cp $ORIG/WORKBENCH.md .
echo "## 6. test output missing"
run --test-output .tmp/nope.txt
echo "## 7. a TS block that does not compile"
perl -0pi -e "s/staff.post\('\/tournaments', \{ name: 'Spring Battle'/staff.postt('\/tournaments', { name: 'Spring Battle'/" TESTING.md; run; cp $ORIG/TESTING.md .
echo "## 8. a kit error heading missing from the kit's FAQ.md"
sed -i 's/^### Rows left behind$/### Rows left over/' src/testing/FAQ.md; run; cp $ORIG/src/testing/FAQ.md src/testing/
echo "## after restoring"; run
echo "## 9. a kit error reworded in src/testing (quoted message drifts)"
sed -i "s/so it would not see the test's rows/so it would not see the test rows/" src/testing/query-guard.ts; run; cp $ORIG/src/testing/query-guard.ts src/testing/
echo "## 10. the last run was red"
sed 's/\x1b\[[0-9;]*m//g; s/Test Files  \([0-9]*\) passed/Test Files  1 failed | \1 passed/' .tmp/test-output.txt > .tmp/red.txt; run --test-output .tmp/red.txt
echo "## 10b. the quoted test:processes counts differ from its run"
perl -0pi -e 's/(test-summary processes -->\n```text\n[^\n]*\n\s*Tests\s+)(\d+)/$1.($2+1)/e' WORKBENCH.md; run; cp $ORIG/WORKBENCH.md .
echo "## 10c. the test:processes output missing"
run --processes-output .tmp/nope.txt
echo "## 10d. the last test:processes run was red"
sed 's/\x1b\[[0-9;]*m//g; s/Test Files  \([0-9]*\) passed/Test Files  1 failed | \1 passed/' .tmp/test-output-processes.txt > .tmp/red-processes.txt; run --processes-output .tmp/red-processes.txt
echo "## 11. TypeDoc: an export loses its @example"
perl -0pi -e 's/ \*\n \* \@example\n \* ```ts\n \* const lock = new Mutex\(\);.*?```\n//s' src/testing/lock.ts
npx typedoc --out .tmp/api > .tmp/out.txt 2>&1; echo "rc=$?"; sed 's/\x1b\[[0-9;]*m//g' .tmp/out.txt | grep -v "^\[info\]" | head -3; cp $ORIG/src/testing/lock.ts src/testing/
# Markdown as GitHub parses it (remark): each case appends to a page, then restores it.
D=docs/comparison.md
echo "## 12. an include without its closing marker"
sed -i '/^<!-- \/include -->$/d' docs/architecture.md; run; cp $ORIG/docs/architecture.md docs/
echo "## 13. a ts block never closed"
printf '\n```ts\nconst n = 1;\n' >> $D; run; cp $ORIG/$D $D
echo "## 14. a ts block that does not compile, in a nested list item (indented 4 spaces)"
printf '\n- outer\n  - inner:\n\n    ```ts\n    const n: number = "not a number";\n    ```\n' >> $D; run; cp $ORIG/$D $D
echo "## 15. a broken link after a fence marker inside an HTML comment (not a fence: the link is prose)"
printf '\n<!--\n```\n-->\n\nSee [gone](nope.md).\n' >> $D; run; cp $ORIG/$D $D
echo "## 16. a broken link between escaped backticks (not inline code)"
printf '\nA \\`[gone](nope.md)\\` link.\n' >> $D; run; cp $ORIG/$D $D
echo "## 17. an anchor that keeps the underscores of an _emphasised_ heading word (GitHub drops them)"
printf '\n## Using _shared_ sessions\n\n[here](#using-_shared_-sessions)\n' >> $D; run; cp $ORIG/$D $D
echo "## 18. not broken (rc=0): GitHub's anchor of a heading with _emphasis_ and \`code\`, a link in inline code, one in an indented code block, one after \`\`\` inside a ~~~ fence"
printf '\n## Using _shared_ sessions and `clientFor`\n\n[here](#using-shared-sessions-and-clientfor), `[not a link](nope.md)`\n\n    [not a link either](nope.md)\n\n~~~text\n```\n[still code](nope.md)\n~~~\n' >> $D; run; cp $ORIG/$D $D
echo "## final"; run

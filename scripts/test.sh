#!/usr/bin/env bash
# The project's test command (`npm test`): sets up a fresh machine, type-checks, then runs every test layer —
# config and graph unit tests, CRUD tests against real PostgreSQL 18 and the Authentik emulator, and
# end-to-end runs of the real Pulumi engine. Extra arguments go to vitest (e.g. `npm test -- test/config`).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=setup.sh
. scripts/setup.sh
echo "test: type-checking…" >&2
npm run --silent typecheck
report="$(mktemp -t gatehouse-vitest-XXXXXX.json)"
trap 'rm -f "$report"' EXIT
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@" || status=$?
# One plain closing line that any CI reader understands.
node -e '
const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const skipped = r.numPendingTests + r.numTodoTests;
// Each failed test once, plus each file that failed before any of its tests could (a hook, an import).
const brokenFiles = r.testResults.filter((f) => f.status === "failed" && !f.assertionResults.some((t) => t.status === "failed")).length;
const failed = r.numFailedTests + brokenFiles;
console.log(`tests: ${r.numPassedTests} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));' "$report" || echo "tests: 0 passed, 1 failed"
exit "$status"

#!/usr/bin/env bash
# `npm run bench`: sets the machine up like `npm test` (Node packages, the Pulumi engine and plugins), then runs the
# benchmark (bench/run.ts). Not part of the tests. Arguments go to bench/run.ts (`npm run bench -- --quick`).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=../scripts/setup.sh
. scripts/setup.sh
exec npx tsx bench/run.ts "$@"

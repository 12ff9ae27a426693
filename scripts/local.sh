#!/usr/bin/env bash
# `npm run local`: set the machine up, then bring up a throwaway local stack (see scripts/local.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
case " $* " in *" --help "*|*" -h "*) exec npx tsx scripts/local.ts --help ;; esac
# shellcheck source=setup.sh
. scripts/setup.sh
export PULUMI_NODEJS_TRANSPILE_ONLY=true
exec npx tsx scripts/local.ts "$@"

#!/usr/bin/env bash
# `npm run audit`: check a stack against the hardening checklists (see scripts/audit.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
case " $* " in *" --help "*|*" -h "*) exec npx tsx scripts/audit.ts --help ;; esac
# A user's own pulumi (and PULUMI_HOME, which holds their backend login) is used as it is; only a machine
# without one gets the project's engine.
if ! command -v pulumi >/dev/null 2>&1; then
    # shellcheck source=setup.sh
    . scripts/setup.sh
fi
exec npx tsx scripts/audit.ts "$@"

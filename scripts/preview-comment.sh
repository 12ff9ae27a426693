#!/usr/bin/env bash
# `npm run preview-comment`: set the machine up (engine on PATH), then render pull-request preview comments
# (see scripts/preview-comment.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
case " $* " in *" --help "*|*" -h "*) exec npx tsx scripts/preview-comment.ts --help ;; esac
# A user's own pulumi (and PULUMI_HOME, which holds their backend login) is used as it is; only a machine
# without one gets the project's engine.
if ! command -v pulumi >/dev/null 2>&1; then
    # shellcheck source=setup.sh
    . scripts/setup.sh
fi
exec npx tsx scripts/preview-comment.ts "$@"

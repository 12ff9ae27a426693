#!/usr/bin/env bash
# `npm run blueprint`: the stack's Authentik objects as an authentik blueprint (see scripts/blueprint.ts).
# Reads the stack file only: no Pulumi engine, backend or Authentik is needed, so no setup either beyond node_modules.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-fund --no-audit --loglevel=error >&2
exec npx tsx scripts/blueprint.ts "$@"

#!/usr/bin/env bash
# Builds the stand-in provider plugins pulumi-resource-random and
# pulumi-resource-postgresql (see README.md) into a bin directory and prints
# that directory on stdout; progress goes to stderr.
#
#   testbed/pulumi/providers/build.sh [BIN_DIR]
#
# BIN_DIR defaults to ${GATEHOUSE_CACHE:-$HOME/.cache/gatehouse}/providers-<hash>/bin,
# where <hash> covers the sources that go into the binaries, so a directory that
# already holds both binaries is reused as is. Put BIN_DIR on PATH: the Pulumi
# engine finds plugins as pulumi-resource-<name> on PATH.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

log() { printf 'providers: %s\n' "$*" >&2; }

src_hash() {
	# Every input of the binaries: non-test Go sources, go.mod, go.sum, this script.
	find . -type f \( -name '*.go' ! -name '*_test.go' -o -name go.mod -o -name go.sum -o -name build.sh \) \
		-not -path './testdata/*' -print0 |
		LC_ALL=C sort -z |
		xargs -0 sha256sum |
		sha256sum | cut -c1-16
}

if [[ $# -ge 1 && -n "$1" ]]; then
	out="$1"
else
	out="${GATEHOUSE_CACHE:-$HOME/.cache/gatehouse}/providers-$(src_hash)/bin"
fi

plugins=(pulumi-resource-random pulumi-resource-postgresql)

have_all=1
for p in "${plugins[@]}"; do
	[[ -x "$out/$p" ]] || have_all=0
done
if [[ $have_all -eq 1 ]]; then
	log "cached: $out"
	echo "$out"
	exit 0
fi

command -v go >/dev/null 2>&1 || { log "go is not on PATH"; exit 1; }
export GOTOOLCHAIN=local
export GONOSUMDB="${GONOSUMDB:-github.com/pulumi/*}"
export CGO_ENABLED=0

mkdir -p "$out"
tmp="$(mktemp -d "$out/.build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
start=$SECONDS
for p in "${plugins[@]}"; do
	log "building $p"
	go build -trimpath -o "$tmp/$p" "./cmd/$p"
done
for p in "${plugins[@]}"; do
	mv -f "$tmp/$p" "$out/$p"
done
log "built in $((SECONDS - start))s: $out"
echo "$out"

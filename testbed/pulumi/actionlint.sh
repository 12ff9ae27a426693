#!/usr/bin/env bash
# Builds actionlint (github.com/rhysd/actionlint, the GitHub Actions workflow checker) once from its Go module,
# cached under ${GATEHOUSE_CACHE:-$HOME/.cache/gatehouse}/actionlint-<version>, and prints the directory holding
# the binary on stdout (progress on stderr). scripts/setup.sh puts that directory on PATH; test/preview/actionlint.test.ts
# runs it on .github/workflows/. Sibling of toolchain.sh, with its own cache: the Pulumi CLI's key is untouched.
#
#   bash testbed/pulumi/actionlint.sh           build if needed, print the bin dir
#   bash testbed/pulumi/actionlint.sh --help
set -euo pipefail

VERSION=v1.7.12
MODULE=github.com/rhysd/actionlint/cmd/actionlint

case "${1:-}" in
-h | --help)
	sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
	exit 0
	;;
"") ;;
*)
	echo "actionlint: unknown argument: $1 (see --help)" >&2
	exit 2
	;;
esac

cache="${GATEHOUSE_CACHE:-${HOME:?HOME is not set}/.cache/gatehouse}"
bin="$cache/actionlint-$VERSION"
if [ -x "$bin/actionlint" ]; then
	echo "$bin"
	exit 0
fi

if ! command -v go >/dev/null 2>&1; then
	if [ -x /usr/local/go/bin/go ]; then PATH="/usr/local/go/bin:$PATH"; else
		echo "actionlint: Go not found (looked on PATH and in /usr/local/go/bin); install Go >= 1.25" >&2
		exit 1
	fi
fi
mkdir -p "$cache"
# One build at a time per cache; a parallel caller finds the binary once the lock is free.
exec 9>"$cache/.actionlint.lock"
if command -v flock >/dev/null 2>&1; then flock 9; fi
if [ -x "$bin/actionlint" ]; then
	echo "$bin"
	exit 0
fi
echo "actionlint: building $MODULE@$VERSION (once, ~10 s)…" >&2
tmp="$(mktemp -d "$cache/.actionlint.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-buildvcs=false GOBIN="$tmp" go install -trimpath "$MODULE@$VERSION" >&2
mkdir -p "$bin"
mv -f "$tmp/actionlint" "$bin/actionlint"
echo "$bin"

#!/usr/bin/env bash
# Gatehouse Pulumi toolchain: builds (once, cached) the pulumi CLI v3.248.0 and our own Node.js
# language host from testbed/pulumi/engine, plus the dynamic-provider launcher, and sets up the
# environment to use them. See testbed/pulumi/README.md for what is built and why.
#
#   bash testbed/pulumi/toolchain.sh               build if needed, print where the binaries are
#   bash testbed/pulumi/toolchain.sh --print-env   build if needed, print `export X=...` lines
#   . testbed/pulumi/toolchain.sh                  build if needed, export the environment (bash)
#
# Run with --help for details. The build happens in a subshell with `set -euo pipefail`, so
# sourcing this file leaves the caller's shell options alone.

_gh_usage() {
	cat <<'EOF'
usage: testbed/pulumi/toolchain.sh [--print-env | --bin-dir | --rebuild | --help]
       . testbed/pulumi/toolchain.sh            (bash; arguments are ignored when sourced)

Builds, once, into ${GATEHOUSE_CACHE:-$HOME/.cache/gatehouse}/bin:
  pulumi                         the Pulumi CLI v3.248.0 (github.com/pulumi/pulumi/pkg/v3)
  pulumi-language-nodejs         Gatehouse's own Node.js language host (testbed/pulumi/engine/cmd/...)
  pulumi-resource-pulumi-nodejs  dynamic-provider launcher, copied from the sdk/v3 module
Builds are keyed by a hash of the testbed/pulumi/engine sources, go.mod/go.sum, the Go version and
the build flags; when nothing changed a run takes well under a second. A cold build of the CLI
took 4.5 min on a 2-core machine (empty Go build cache, modules already downloaded); allow up
to ~40 min on slow machines. With a warm Go build cache a rebuild takes ~10-30 s.

If a pulumi >= 3.248.0, a pulumi-language-nodejs and a pulumi-resource-pulumi-nodejs are
already on PATH (outside the cache), they are used instead, unless GATEHOUSE_BUILD_ENGINE=1.

Modes:
  (none)        build if needed; print bin_dir=, pulumi=, ... lines on stdout
  --print-env   build if needed; print export lines:  eval "$(testbed/pulumi/toolchain.sh --print-env)"
  --bin-dir     build if needed; print only the directory to put first on PATH
  --rebuild     ignore the cache stamps and rebuild everything
  --help        this text

Sourcing (or eval of --print-env) exports:
  PATH          cache bin dir first, then testbed/pulumi/providers/bin if it exists
  PULUMI_HOME   default ${GATEHOUSE_CACHE}/pulumi-home (an existing PULUMI_HOME is kept)
  PULUMI_SKIP_UPDATE_CHECK=true
  PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
  GATEHOUSE_TOOLCHAIN_BIN       the directory holding pulumi and the language host
PULUMI_BACKEND_URL and PULUMI_CONFIG_PASSPHRASE are deliberately left to the caller.

Environment:
  GATEHOUSE_CACHE         cache root (default $HOME/.cache/gatehouse)
  GATEHOUSE_BUILD_ENGINE  1 = always use our own build, even if pulumi is on PATH
  GATEHOUSE_QUIET         1 = no progress messages on stderr
Progress messages go to stderr. Needs bash, Go (>= 1.25; /usr/local/go/bin is tried) and
access to a Go module proxy for a cold build; node/npm are needed only to run programs.
EOF
}

_gh_log() {
	if [ "${GATEHOUSE_QUIET:-0}" != 1 ]; then
		printf 'toolchain: %s\n' "$*" >&2
	fi
}

# Versions. The CLI and the SDK module must agree; both come from testbed/pulumi/engine/go.mod.
_GH_PULUMI_VERSION=v3.248.0
_GH_MIN_SYSTEM_PULUMI=3.248.0
_GH_BUILD_TAGS=osusergo,grpcnotrace
_GH_LDFLAGS="-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${_GH_PULUMI_VERSION}"

_gh_repo_root() {
	(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
}

_gh_cache_dir() {
	printf '%s\n' "${GATEHOUSE_CACHE:-${HOME:?HOME is not set}/.cache/gatehouse}"
}

# _gh_find_go puts Go on PATH (a fresh Debian machine may only have /usr/local/go/bin/go).
_gh_find_go() {
	if ! command -v go >/dev/null 2>&1; then
		if [ -x /usr/local/go/bin/go ]; then
			PATH="/usr/local/go/bin:$PATH"
		else
			echo "toolchain: Go not found (looked on PATH and in /usr/local/go/bin); install Go >= 1.25" >&2
			return 1
		fi
	fi
	# Reproducible, offline-friendly module resolution: no toolchain downloads, go.sum is the
	# source of truth (the public sum DB does not know some pulumi versions).
	export GOTOOLCHAIN=local
	export GOFLAGS="-mod=readonly -buildvcs=false"
	export GONOSUMDB="${GONOSUMDB:+$GONOSUMDB,}github.com/pulumi/*"
	export CGO_ENABLED=0
}

# _gh_hash STRING... -- FILE... prints a short sha256 over the strings and the files' contents
# (files are named relative to testbed/pulumi/ — as they were relative to toolchain/ before the move — so the key
# depends neither on the checkout path nor on where the folder sits).
_gh_hash() {
	local item files=0
	{
		for item in "$@"; do
			if [ "$item" = -- ]; then
				files=1
			elif [ "$files" = 1 ]; then
				printf 'file %s\n' "${item##*/testbed/pulumi/}"
				sha256sum <"$item"
			else
				printf 'str %s\n' "$item"
			fi
		done
	} | sha256sum | cut -c1-16
}

# _gh_system_tools prints the directory of a usable pulumi (>= 3.248.0), with
# pulumi-language-nodejs and pulumi-resource-pulumi-nodejs, found on PATH outside our cache.
_gh_system_tools() {
	local bin="$1" dir p lh ver tool
	local -a dirs
	[ "${GATEHOUSE_BUILD_ENGINE:-0}" != 1 ] || return 1
	IFS=: read -r -a dirs <<<"$PATH"
	for dir in "${dirs[@]}"; do
		if [ -z "$dir" ] || [ "$dir" = "$bin" ]; then
			continue
		fi
		p="$dir/pulumi"
		if [ ! -x "$p" ] || [ -d "$p" ]; then
			continue
		fi
		# The language host and the dynamic-provider launcher must come from outside our cache too
		# (a real Pulumi install ships both next to pulumi).
		for tool in pulumi-language-nodejs pulumi-resource-pulumi-nodejs; do
			lh=$(PATH="$dir:$PATH" command -v "$tool" 2>/dev/null) || return 1
			[ "$(dirname "$lh")" != "$bin" ] || return 1
		done
		ver=$(PULUMI_SKIP_UPDATE_CHECK=true "$p" version 2>/dev/null | head -n1) || return 1
		ver=${ver#v}
		if [ "$(printf '%s\n%s\n' "$_GH_MIN_SYSTEM_PULUMI" "${ver%%-*}" | sort -V | head -n1)" = "$_GH_MIN_SYSTEM_PULUMI" ]; then
			printf '%s\n' "$dir"
			return 0
		fi
		return 1 # the first pulumi on PATH is too old; do not look further
	done
	return 1
}

# _gh_build builds whatever is stale into $bin. Runs in a subshell with strict mode.
_gh_build() {
	set -euo pipefail
	local rebuild="$1" root cache bin engine govers clikey lhkey
	root=$(_gh_repo_root)
	cache=$(_gh_cache_dir)
	bin="$cache/bin"
	engine="$root/testbed/pulumi/engine"
	mkdir -p "$bin"

	# One build at a time per cache (parallel test runs may all source this file).
	exec 9>"$cache/.build.lock"
	if command -v flock >/dev/null 2>&1; then
		flock 9
	fi

	_gh_find_go
	govers=$(go env GOVERSION)
	local goos goarch
	goos=$(go env GOOS)
	goarch=$(go env GOARCH)

	local -a modfiles=("$engine/go.mod" "$engine/go.sum" "$engine/tools.go")
	clikey=$(_gh_hash cli "$_GH_PULUMI_VERSION" "$govers" "$goos/$goarch" "$_GH_BUILD_TAGS" "$_GH_LDFLAGS" \
		-- "${modfiles[@]}")
	local -a lhsrc
	mapfile -t lhsrc < <(find "$engine/cmd/pulumi-language-nodejs" -name '*.go' ! -name '*_test.go' | LC_ALL=C sort)
	lhkey=$(_gh_hash langhost "$_GH_PULUMI_VERSION" "$govers" "$goos/$goarch" "$_GH_BUILD_TAGS" "$_GH_LDFLAGS" \
		-- "${modfiles[@]}" "${lhsrc[@]}")

	if [ "$rebuild" = 1 ] || [ ! -x "$bin/pulumi" ] || [ "$(cat "$bin/.pulumi.key" 2>/dev/null)" != "$clikey" ]; then
		_gh_log "building pulumi CLI ${_GH_PULUMI_VERSION} (cold build takes ~5-10 min on 2 cores, up to ~40 min on slow machines)…"
		local start=$SECONDS
		rm -f "$bin/.pulumi.key"
		(cd "$engine" && go build -trimpath -tags "$_GH_BUILD_TAGS" -ldflags "$_GH_LDFLAGS" \
			-o "$bin/.pulumi.tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
		mv -f "$bin/.pulumi.tmp" "$bin/pulumi"
		printf '%s\n' "$clikey" >"$bin/.pulumi.key"
		_gh_log "built $bin/pulumi in $((SECONDS - start))s"
	fi

	if [ "$rebuild" = 1 ] || [ ! -x "$bin/pulumi-language-nodejs" ] || [ ! -x "$bin/pulumi-resource-pulumi-nodejs" ] ||
		[ "$(cat "$bin/.langhost.key" 2>/dev/null)" != "$lhkey" ]; then
		_gh_log "building pulumi-language-nodejs (Gatehouse language host)…"
		rm -f "$bin/.langhost.key"
		(cd "$engine" && go build -trimpath -tags "$_GH_BUILD_TAGS" -ldflags "$_GH_LDFLAGS" \
			-o "$bin/.pulumi-language-nodejs.tmp" ./cmd/pulumi-language-nodejs)
		mv -f "$bin/.pulumi-language-nodejs.tmp" "$bin/pulumi-language-nodejs"

		# The dynamic-provider launcher ships in the sdk/v3 module; take it from the module
		# cache (same version as the CLI), not from a copy in our repository.
		local sdkdir
		sdkdir=$(cd "$engine" && go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)
		if [ -z "$sdkdir" ]; then
			(cd "$engine" && go mod download github.com/pulumi/pulumi/sdk/v3)
			sdkdir=$(cd "$engine" && go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)
		fi
		local name
		for name in pulumi-resource-pulumi-nodejs pulumi-analyzer-policy; do
			if [ -f "$sdkdir/nodejs/dist/$name" ]; then
				install -m 0755 "$sdkdir/nodejs/dist/$name" "$bin/$name"
			elif [ "$name" = pulumi-resource-pulumi-nodejs ]; then
				echo "toolchain: $sdkdir/nodejs/dist/$name not found in the sdk/v3 module" >&2
				return 1
			fi
		done
		printf '%s\n' "$lhkey" >"$bin/.langhost.key"
		_gh_log "built $bin/pulumi-language-nodejs"
	fi
}

# _gh_resolve sets _GH_BIN (first on PATH) and _GH_MODE (system|built), building if needed.
_gh_resolve() {
	local rebuild="${1:-0}" cache sys
	cache=$(_gh_cache_dir)
	if [ "$rebuild" != 1 ] && sys=$(_gh_system_tools "$cache/bin"); then
		_GH_BIN="$sys"
		_GH_MODE=system
		_gh_log "using pulumi and pulumi-language-nodejs from $sys (set GATEHOUSE_BUILD_ENGINE=1 to build our own)"
		return 0
	fi
	(_gh_build "$rebuild") || return 1
	_GH_BIN="$cache/bin"
	_GH_MODE=built
}

# _gh_env_lines prints the environment as `export X=...` lines (values shell-quoted).
_gh_env_lines() {
	local root cache newpath dir providers
	root=$(_gh_repo_root)
	cache=$(_gh_cache_dir)
	providers="$root/testbed/pulumi/providers/bin"
	# Rebuild PATH without earlier copies of our directories so repeated sourcing is idempotent.
	newpath=""
	local -a dirs
	IFS=: read -r -a dirs <<<"$PATH"
	for dir in "${dirs[@]}"; do
		if [ -z "$dir" ] || [ "$dir" = "$_GH_BIN" ] || [ "$dir" = "$providers" ] || [ "$dir" = "$cache/bin" ]; then
			continue
		fi
		newpath="${newpath:+$newpath:}$dir"
	done
	if [ -d "$providers" ]; then
		newpath="$providers${newpath:+:$newpath}"
	fi
	newpath="$_GH_BIN${newpath:+:$newpath}"
	printf 'export PATH=%q\n' "$newpath"
	printf 'export PULUMI_HOME=%q\n' "${PULUMI_HOME:-$cache/pulumi-home}"
	printf 'export PULUMI_SKIP_UPDATE_CHECK=true\n'
	printf 'export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true\n'
	printf 'export GATEHOUSE_TOOLCHAIN_BIN=%q\n' "$_GH_BIN"
}

_gh_main() {
	set -euo pipefail
	local mode=info rebuild=0 arg
	for arg in "$@"; do
		case "$arg" in
		--print-env) mode=printenv ;;
		--bin-dir) mode=bindir ;;
		--rebuild) rebuild=1 ;;
		-h | --help)
			_gh_usage
			return 0
			;;
		*)
			echo "toolchain: unknown argument: $arg (see --help)" >&2
			return 2
			;;
		esac
	done
	_gh_resolve "$rebuild"
	case "$mode" in
	printenv) _gh_env_lines ;;
	bindir) printf '%s\n' "$_GH_BIN" ;;
	info)
		local name path
		printf 'mode=%s\n' "$_GH_MODE"
		printf 'bin_dir=%s\n' "$_GH_BIN"
		for name in pulumi pulumi-language-nodejs pulumi-resource-pulumi-nodejs; do
			path="$_GH_BIN/$name"
			[ -x "$path" ] || path=$(command -v "$name" 2>/dev/null || echo missing)
			printf '%s=%s\n' "$name" "$path"
		done
		if [ -d "$(_gh_repo_root)/testbed/pulumi/providers/bin" ]; then
			printf 'providers_bin_dir=%s\n' "$(_gh_repo_root)/testbed/pulumi/providers/bin"
		fi
		_gh_log "use it with:  . testbed/pulumi/toolchain.sh   or   eval \"\$(testbed/pulumi/toolchain.sh --print-env)\""
		;;
	esac
}

if [ "${BASH_SOURCE[0]}" != "$0" ]; then
	# Sourced: build if needed (strict mode confined to subshells), then export into the caller.
	# Positional arguments are ignored here: bash hands the caller's "$@" to sourced files.
	if _gh_resolve 0; then
		eval "$(_gh_env_lines)"
	else
		echo "toolchain: build failed; environment not changed" >&2
		return 1
	fi
else
	_gh_main "$@"
fi

# Sourced by the user-facing commands (npm test, npm run local, …): makes a fresh machine ready.
#   - Node packages from package-lock.json (npm ci) when node_modules is missing or stale;
#   - the Pulumi engine, language host and provider plugins, built once and cached (testbed/pulumi/toolchain.sh);
#   - the engine's environment exported (PATH, PULUMI_HOME, no update checks, no plugin downloads);
#   - actionlint for the workflow checks, built once and cached (testbed/pulumi/actionlint.sh).
# Progress goes to stderr; nothing is printed on success beyond one line per step.

_gh_setup_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

_gh_setup_node() {
    local lock="$_gh_setup_root/package-lock.json" stamp="$_gh_setup_root/node_modules/.package-lock.json"
    if [ ! -f "$stamp" ] || [ "$lock" -nt "$stamp" ]; then
        echo "setup: installing Node packages (npm ci)…" >&2
        (cd "$_gh_setup_root" && npm ci --no-fund --no-audit --loglevel=error) >&2 || return 1
    fi
}

# The provider plugins are installed into $PULUMI_HOME/plugins under the exact versions the npm packages ask for,
# as `pulumi plugin install` would lay them out, so the engine resolves them like downloaded plugins.
_gh_setup_providers() {
    local build="$_gh_setup_root/testbed/pulumi/providers/build.sh" bin name version dir
    [ -f "$build" ] || return 0
    bin="$(bash "$build")" || return 1
    for name in random postgresql; do
        version="$(node -p "require('$_gh_setup_root/node_modules/@pulumi/$name/package.json').pulumi.version")" || return 1
        dir="$PULUMI_HOME/plugins/resource-$name-v$version"
        mkdir -p "$dir"
        ln -sf "$bin/pulumi-resource-$name" "$dir/pulumi-resource-$name"
        rm -f "$dir.partial"
    done
}

# actionlint checks .github/workflows (test/preview/actionlint.test.ts); built once, cached by version.
_gh_setup_actionlint() {
    local bin
    bin="$(bash "$_gh_setup_root/testbed/pulumi/actionlint.sh")" || return 1
    case ":$PATH:" in *":$bin:"*) ;; *) PATH="$bin:$PATH" ;; esac
    export PATH
}

_gh_setup_node || return 1 2>/dev/null || exit 1
# shellcheck source=../testbed/pulumi/toolchain.sh
. "$_gh_setup_root/testbed/pulumi/toolchain.sh" || return 1 2>/dev/null || exit 1
_gh_setup_providers || return 1 2>/dev/null || exit 1
_gh_setup_actionlint || return 1 2>/dev/null || exit 1
echo "setup: $(pulumi version) ($(command -v pulumi)), Node $(node --version)" >&2

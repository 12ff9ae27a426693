#!/usr/bin/env bash
# End-to-end check of the Gatehouse Pulumi toolchain (CLI + our language host + dynamic-provider
# launcher): copies testdata/ts-program to a scratch directory outside the repository, installs
# its npm dependencies, and runs the stack lifecycle against a local file backend.
#
#   bash testbed/pulumi/langhost/selftest.sh        (KEEP=1 keeps the scratch directory)
#
# Needs node/npm and the npm registry (for @pulumi/pulumi). Exits non-zero on the first failure.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)

# shellcheck source=testbed/pulumi/toolchain.sh
. "$repo/testbed/pulumi/toolchain.sh"

work=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-selftest.XXXXXX")
cleanup() {
	if [ "${KEEP:-0}" = 1 ]; then
		echo "selftest: kept $work" >&2
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT

cp -r "$here/testdata/ts-program" "$work/program"
cd "$work/program"
export PULUMI_BACKEND_URL="file://$work/state" PULUMI_CONFIG_PASSPHRASE=test
mkdir -p "$work/state"

step() {
	echo "selftest: \$ $*" >&2
	"$@"
}

# check FILE JS-EXPRESSION: asserts that the expression over the parsed JSON `j` is true.
check() {
	node -e '
		const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
		if (!('"$2"')) { console.error("selftest: check failed: " + process.argv[2] + "\n" + JSON.stringify(j, null, 2)); process.exit(1); }
	' "$1" "$2"
}

step npm install --no-audit --no-fund --loglevel=error
step pulumi version
step pulumi stack init dev
step pulumi config set x y
step pulumi up --yes --skip-preview
step pulumi preview --expect-no-changes
step pulumi refresh --yes
step pulumi stack output --json >"$work/outputs.json"
check "$work/outputs.json" 'j.greeting === "hello y" && j.echoed === "echo:y" && j.echoId === "echo-y" && j.secretValue === "[secret]"'
step pulumi stack output --json --show-secrets >"$work/secrets.json"
check "$work/secrets.json" 'j.secretValue === "s3cr3t-y"'
step pulumi preview --json >"$work/preview.json"
check "$work/preview.json" 'j.changeSummary && j.changeSummary.same === 2 && Object.keys(j.changeSummary).length === 1'
step pulumi destroy --yes
step pulumi stack output --json >"$work/after.json"
check "$work/after.json" 'Object.keys(j).length === 0'
step pulumi stack rm --yes dev
echo "selftest: OK" >&2

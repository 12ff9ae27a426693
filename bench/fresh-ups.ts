/**
 * Stress check, outside the tests: N fresh `pulumi up`s of a whole stack against one throwaway PostgreSQL 18 and the
 * Authentik emulator, each destroyed afterwards. Before the grants of a database were chained, about one run in five
 * failed with `tuple concurrently updated` (two GRANTs on one catalog row at once). Prints one line per run and the
 * count of failures; exits 1 on any.
 *
 *   . scripts/setup.sh && npx tsx bench/fresh-ups.ts [--runs 20]
 */
import { parseArgs } from "node:util";
import { startEmulator } from "../testbed/authentik";
import { startPostgres } from "../testbed/services/postgres";
import { PulumiStack } from "../scripts/lib/pulumi-cli";

async function main(): Promise<number> {
    const { values } = parseArgs({ options: { runs: { type: "string", default: "20" } } });
    const runs = Number(values.runs);
    const postgres = await startPostgres();
    const authentik = await startEmulator({ token: "fresh-ups-token" });
    let failures = 0;
    try {
        for (let run = 1; run <= runs; run++) {
            const started = Date.now();
            const stack = await PulumiStack.create(
                `freshup${run}`,
                {
                    environment: "test",
                    app: { name: `fresh${run}`, publicUrl: "http://localhost:5000" },
                    postgres: { host: postgres.host, port: postgres.port, adminUser: postgres.user, databases: { authentik: `authentik_fresh${run}` }, roles: { authentik: `authentik_fresh${run}` } },
                    authentik: { url: authentik.url },
                },
                { "postgres.adminPassword": postgres.password, "authentik.token": authentik.token },
            );
            const up = await stack.run("up", "--yes", "--skip-preview");
            const raced = /tuple concurrently updated/.test(up.stdout + up.stderr);
            if (up.code !== 0) failures++;
            console.log(`run ${run}: ${up.code === 0 ? "ok" : raced ? "FAILED (tuple concurrently updated)" : "FAILED"} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
            await stack.run("destroy", "--yes", "--skip-preview");
            await stack.remove();
        }
    } finally {
        await authentik.stop();
        await postgres.stop();
    }
    console.log(`${runs - failures} of ${runs} fresh ups succeeded; ${failures} failed`);
    return failures === 0 ? 0 : 1;
}

main().then((code) => process.exit(code));

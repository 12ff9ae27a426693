/**
 * `npm run bench`: what up, preview, refresh and destroy of Gatehouse cost against the engine's own floor, and how
 * they scale to 1,000 test users — through the real engine, against a throwaway PostgreSQL 18 that logs every
 * statement and the Authentik emulator. Prints tables and writes the figures to bench/results/<label>-<time>.json.
 *
 *   npm run bench [-- --quick] [--runs 5] [--label after] [--baseline bench/results/reference.json]
 *
 * --quick: one run of the floor and of the full stack, and the 10- and 100-user sizes over 20 groups (about a minute).
 * --sizes 10x20,100x20: the scale run's sizes (users x groups); --scale-runs N: runs per size (default 1).
 * --latency 20: every Authentik answer 20 ms late (a proxy), so that parallel calls show as requests in flight.
 * Figures are printed, never asserted.
 */
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { cpus, totalmem } from "node:os";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { engineVersion, PROJECT_DIR } from "../scripts/lib/pulumi-cli";
import { startEmulator } from "../testbed/authentik";
import { startPostgres } from "../testbed/services/postgres";
import { runFloor, runFull, runScale, type PhaseContext } from "./lib/phases";
import { evaluateTargets, scaleRatios, type BenchReport, type ScaleOperation, type StackResult } from "./lib/report";
import { latencyProxy } from "./lib/latency-proxy";
import { SqlLog } from "./lib/sql-log";
import { FULL_STACK, type StackSize } from "./lib/stacks";
import { ratio } from "./lib/stats";
import { formatReport } from "./lib/table";

const RESULTS_DIR = resolve(__dirname, "results");

/** The engine saves the whole state after every step unless told otherwise (quadratic in the stack's size). */
function skipCheckpoints(): boolean {
    return ["1", "true"].includes((process.env.PULUMI_SKIP_CHECKPOINTS ?? "").toLowerCase());
}

function parseSizes(text: string): StackSize[] {
    return text.split(",").map((pair) => {
        const [users, groups] = pair.split("x").map(Number);
        if (!Number.isInteger(users) || !Number.isInteger(groups)) throw new Error(`--sizes: expected users x groups (10x20), not ${pair}`);
        return { users: users!, groups: groups! };
    });
}

async function main(): Promise<void> {
    const { values } = parseArgs({
        options: {
            quick: { type: "boolean", default: false },
            runs: { type: "string" },
            "scale-runs": { type: "string" },
            sizes: { type: "string" },
            label: { type: "string", default: "run" },
            baseline: { type: "string" },
            latency: { type: "string", default: "0" },
        },
    });
    const quick = values.quick === true;
    const runs = Number(values.runs ?? (quick ? 1 : 5));
    const scaleRuns = Number(values["scale-runs"] ?? 1);
    const sizes = parseSizes(values.sizes ?? (quick ? "10x20,100x20" : "10x20,100x20,1000x20,10x200,100x200,1000x200"));
    const latencyMs = Number(values.latency);
    const baseline = values.baseline ? (JSON.parse(await readFile(values.baseline, "utf8")) as BenchReport) : undefined;
    const progress = (line: string) => console.error(`[bench] ${line}`);

    const pulumi = engineVersion();
    const sqlLog = new SqlLog();
    const postgres = await startPostgres({ log: sqlLog.append, settings: { log_statement: "all" } });
    const emulator = await startEmulator({ token: "bench-token", strict: false });
    const proxy = latencyMs > 0 ? await latencyProxy(emulator.url, latencyMs) : undefined;
    const marker = new pg.Client({ host: postgres.host, port: postgres.port, user: postgres.user, password: postgres.password, database: "postgres" });
    await marker.connect();
    const startedAt = new Date().toISOString();
    try {
        const ctx: PhaseContext = {
            probes: { emulator, sqlLog, marker, ...(proxy && { server: proxy.server }) },
            services: { postgres, authentik: { url: proxy?.url ?? emulator.url, token: emulator.token } },
            progress,
        };
        await mkdir(RESULTS_DIR, { recursive: true });
        const file = join(RESULTS_DIR, `${values.label}-${startedAt.replace(/[:.]/g, "-")}.json`);
        // What is done so far, should a long run be cut short (removed once the report is written).
        const partialFile = file.replace(/\.json$/, ".partial.json");
        const keep = (done: object) => writeFile(partialFile, `${JSON.stringify({ label: values.label, startedAt, ...done }, null, 2)}\n`);
        const floor = await runFloor(ctx, runs);
        await keep({ floor });
        const full = await runFull(ctx, FULL_STACK, runs);
        await keep({ floor, full });
        const scale: StackResult<ScaleOperation>[] = [];
        for (const size of sizes) {
            scale.push(await runScale(ctx, size, scaleRuns));
            emulator.reset();
            await keep({ floor, full, scale });
        }
        if (emulator.violations.length > 0) progress(`WARNING: ${emulator.violations.length} schema violations in the emulator's answers`);
        const partial: Omit<BenchReport, "targets"> = {
            schema: 1,
            label: values.label!,
            startedAt,
            quick,
            machine: { cpus: cpus().length, memoryMb: Math.round(totalmem() / 2 ** 20), node: process.version, pulumi, postgres: postgres.version, parallel: Number(process.env.PULUMI_PARALLEL ?? cpus().length * 4), checkpoints: skipCheckpoints() ? "final only" : "every step" },
            latencyMs,
            floor,
            full,
            scale,
            ratios: {
                previewVsFloor: ratio(full.operations.preview.wallMs.median, floor.preview.wallMs.median),
                upVsFloor: ratio(full.operations.up.wallMs.median, floor.up.wallMs.median),
                scale: scaleRatios(scale),
            },
        };
        const report: BenchReport = { ...partial, targets: evaluateTargets(partial) };
        await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
        await rm(partialFile, { force: true });
        console.log(formatReport(report, baseline));
        console.log(`\nfigures written to ${relative(PROJECT_DIR, file)}`);
    } finally {
        await marker.end();
        await proxy?.stop();
        await emulator.stop();
        await postgres.stop();
    }
}

main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
});

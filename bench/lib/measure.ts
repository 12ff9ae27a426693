import type { Server } from "node:http";
import type pg from "pg";
import type { Emulator } from "../../testbed/authentik";
import type { PulumiStack } from "../../scripts/lib/pulumi-cli";
import { countApiCalls, type ApiCalls } from "./api-calls";
import { watchConcurrency, type Concurrency } from "./concurrency";
import { sampleMemory } from "./rss";
import { countStatements, MARKER, statementsIn, type SqlCounts, type SqlLog } from "./sql-log";

/** What one pulumi command cost. */
export interface RunSample {
    readonly wallMs: number;
    /** Peak summed RSS of the command's node processes, bytes. */
    readonly nodeBytes: number;
    /** Peak summed RSS of the command's whole process tree, bytes. */
    readonly treeBytes: number;
    readonly api: ApiCalls;
    readonly sql: SqlCounts;
    /** Authentik requests in flight at once. */
    readonly concurrency: Concurrency;
}

/** The services whose logs a run is counted from. */
export interface Probes {
    readonly emulator: Emulator;
    readonly sqlLog: SqlLog;
    /** The bench's own connection, for marker statements. */
    readonly marker: pg.Client;
    /** The HTTP server whose requests in flight are counted (the latency proxy); default: every one here. */
    readonly server?: Server;
}

let markers = 0;

/** Logs a marker statement and waits until the server's log shows it, so the log can be cut there. */
async function mark(probes: Probes): Promise<string> {
    const id = String(++markers);
    await probes.marker.query(`SELECT '${MARKER}${id}'`);
    for (let waited = 0; !probes.sqlLog.hasMarker(id); waited += 10) {
        if (waited > 10_000) throw new Error(`PostgreSQL's log never showed marker ${id}: is log_statement = all set?`);
        await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return id;
}

/** Runs `pulumi <args>` on the stack (it must succeed) and measures it. */
export async function measureRun(stack: PulumiStack, args: readonly string[], probes: Probes): Promise<RunSample> {
    probes.sqlLog.cut(await mark(probes));
    probes.emulator.clearLog();
    const concurrency = watchConcurrency(probes.server);
    const started = performance.now();
    const { child, done } = stack.start(...args);
    const memory = sampleMemory(child.pid ?? -1);
    const result = await done;
    const wallMs = performance.now() - started;
    const peak = memory.stop();
    const inFlight = concurrency.stop();
    const api = countApiCalls(probes.emulator.log);
    const sql = countStatements(statementsIn(probes.sqlLog.cut(await mark(probes))));
    if (result.code !== 0) throw new Error(`pulumi ${args.join(" ")} failed (${result.code}):\n${result.stdout.slice(-4000)}\n${result.stderr.slice(-4000)}`);
    return { wallMs, nodeBytes: peak.nodeBytes, treeBytes: peak.treeBytes, api, sql, concurrency: inFlight };
}

/** The commands the benchmark times; each is what a user runs. */
export const COMMANDS = {
    up: ["up", "--yes", "--skip-preview"],
    preview: ["preview", "--expect-no-changes"],
    upNoop: ["up", "--yes", "--skip-preview", "--expect-no-changes"],
    refresh: ["refresh", "--yes", "--skip-preview"],
    destroy: ["destroy", "--yes", "--skip-preview"],
    floorPreview: ["preview"],
} as const;

import type { ApiCalls } from "./api-calls";
import type { RunSample } from "./measure";
import type { SqlCounts } from "./sql-log";
import { maxCounts, median, summarize, type Summary } from "./stats";

/** One operation (up, preview, …) over its runs: times summarized, counts at their worst run. Pure. */
export interface OperationResult {
    readonly runs: number;
    readonly wallMs: Summary;
    /** Peak summed RSS of the node processes, MB (2^20 bytes). */
    readonly peakNodeRssMb: Summary;
    readonly peakTreeRssMb: Summary;
    /** Per key, the most any run made (runs of one operation should agree exactly). */
    readonly api: ApiCalls;
    readonly sql: SqlCounts;
    /** Authentik requests in flight at once: the highest peak, the median busy-time mean. */
    readonly concurrency: { readonly peak: number; readonly mean: number };
}

const MB = 1024 * 1024;

export function aggregate(samples: readonly RunSample[]): OperationResult {
    if (samples.length === 0) throw new Error("an operation needs at least one run");
    const worst = (pick: (s: RunSample) => number) => Math.max(...samples.map(pick));
    return {
        runs: samples.length,
        wallMs: summarize(samples.map((s) => s.wallMs)),
        peakNodeRssMb: summarize(samples.map((s) => s.nodeBytes / MB)),
        peakTreeRssMb: summarize(samples.map((s) => s.treeBytes / MB)),
        api: {
            total: worst((s) => s.api.total),
            writes: worst((s) => s.api.writes),
            byMethod: maxCounts(samples.map((s) => s.api.byMethod)),
            byOperation: maxCounts(samples.map((s) => s.api.byOperation)),
            lookups: maxCounts(samples.map((s) => s.api.lookups)),
        },
        sql: { total: worst((s) => s.sql.total), writes: worst((s) => s.sql.writes), byKeyword: maxCounts(samples.map((s) => s.sql.byKeyword)) },
        concurrency: { peak: worst((s) => s.concurrency.peak), mean: median(samples.map((s) => s.concurrency.mean)) },
    };
}

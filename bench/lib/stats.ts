/** Summaries and ratios of the benchmark's samples. Pure: unit-tested in test/bench/. */

/** A set of samples of one figure (wall milliseconds, megabytes, …). */
export interface Summary {
    readonly n: number;
    readonly median: number;
    readonly min: number;
    readonly max: number;
    /** (max − min) / median: how far apart the runs were, 0 for one run. */
    readonly spread: number;
}

export function median(samples: readonly number[]): number {
    if (samples.length === 0) return NaN;
    const sorted = [...samples].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function summarize(samples: readonly number[]): Summary {
    if (samples.length === 0) return { n: 0, median: NaN, min: NaN, max: NaN, spread: NaN };
    const m = median(samples);
    const min = Math.min(...samples);
    const max = Math.max(...samples);
    return { n: samples.length, median: m, min, max, spread: m === 0 ? 0 : (max - min) / m };
}

/** `a / b`, or null when either is missing or `b` is zero (a ratio that cannot be read). */
export function ratio(a: number | undefined, b: number | undefined): number | null {
    if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return null;
    return a / b;
}

/** Adds per-key counts (API calls by method, SQL statements by kind). */
export function addCounts(into: Record<string, number>, from: Readonly<Record<string, number>>): Record<string, number> {
    for (const [key, n] of Object.entries(from)) into[key] = (into[key] ?? 0) + n;
    return into;
}

/** Per key, the largest count of any run: what a run can cost at worst (runs should agree exactly). */
export function maxCounts(runs: readonly Readonly<Record<string, number>>[]): Record<string, number> {
    const result: Record<string, number> = {};
    for (const run of runs) for (const [key, n] of Object.entries(run)) result[key] = Math.max(result[key] ?? 0, n);
    return Object.fromEntries(Object.entries(result).sort(([a], [b]) => a.localeCompare(b)));
}

import type { OperationResult } from "./operation";
import type { StateSize } from "./state-size";
import { ratio } from "./stats";

/** The JSON `npm run bench` writes under bench/results/ (one file per run). Pure: unit-tested in test/bench/. */

export const FULL_OPERATIONS = ["up", "preview", "upNoop", "refresh", "destroy"] as const;
export const SCALE_OPERATIONS = ["up", "preview", "refresh"] as const;
export type FullOperation = (typeof FULL_OPERATIONS)[number];
export type ScaleOperation = (typeof SCALE_OPERATIONS)[number];

/** One Gatehouse stack of a given size and what its operations cost. */
export interface StackResult<Op extends string> {
    readonly users: number;
    readonly groups: number;
    /** Resources in state after `up`, and of those the Authentik objects (dynamic resources, lookups included). */
    readonly resources: number;
    readonly authentikObjects: number;
    /** Lookup resources in state, by type (`FlowLookup`, …). */
    readonly lookups: Record<string, number>;
    readonly operations: Record<Op, OperationResult>;
    readonly state: StateSize;
}

export interface ScaleRatio {
    readonly groups: number;
    readonly fromUsers: number;
    readonly toUsers: number;
    /** Median wall time at `toUsers` over that at `fromUsers`, per operation (null: not measured). */
    readonly wall: Record<ScaleOperation, number | null>;
}

export type Comparison = "<=" | "<" | ">=";

export interface Target {
    readonly id: string;
    readonly description: string;
    /** What was measured, and the bound it is held to: `value <comparison> limit`. */
    readonly value: number | null;
    readonly comparison: Comparison;
    readonly limit: number;
    /** null: not measured in this run. */
    readonly met: boolean | null;
}

export interface BenchReport {
    readonly schema: 1;
    /** Free text naming the run (`before`, `after`, a commit). */
    readonly label: string;
    readonly startedAt: string;
    readonly quick: boolean;
    readonly machine: { readonly cpus: number; readonly memoryMb: number; readonly node: string; readonly pulumi: string; readonly postgres: string; readonly parallel: number;
        /** "every step" (the engine's default), or "final only" under PULUMI_SKIP_CHECKPOINTS (absent in older reports). */
        readonly checkpoints?: "every step" | "final only" };
    /** Added to every Authentik answer (`--latency`), ms. */
    readonly latencyMs: number;
    readonly floor: Record<"preview" | "up", OperationResult>;
    readonly full: StackResult<FullOperation>;
    readonly scale: readonly StackResult<ScaleOperation>[];
    readonly ratios: { readonly previewVsFloor: number | null; readonly upVsFloor: number | null; readonly scale: readonly ScaleRatio[] };
    readonly targets: readonly Target[];
}

/** The lookup resource type each lookup list operation serves. */
export const LOOKUP_TYPES: Record<string, string> = {
    flows_instances_list: "pulumi-nodejs:dynamic/authentik:FlowLookup",
    crypto_certificatekeypairs_list: "pulumi-nodejs:dynamic/authentik:CertificateKeyPairLookup",
    propertymappings_provider_scope_list: "pulumi-nodejs:dynamic/authentik:ScopeMappingLookup",
};

/** Each size against the next larger one with the same group count (10 → 100, 100 → 1,000). */
export function scaleRatios(scale: readonly StackResult<ScaleOperation>[]): ScaleRatio[] {
    const result: ScaleRatio[] = [];
    const groupCounts = [...new Set(scale.map((s) => s.groups))].sort((a, b) => a - b);
    for (const groups of groupCounts) {
        const sizes = scale.filter((s) => s.groups === groups).sort((a, b) => a.users - b.users);
        for (let i = 1; i < sizes.length; i++) {
            const from = sizes[i - 1]!;
            const to = sizes[i]!;
            const wall = Object.fromEntries(SCALE_OPERATIONS.map((op) => [op, ratio(to.operations[op]?.wallMs.median, from.operations[op]?.wallMs.median)])) as Record<ScaleOperation, number | null>;
            result.push({ groups, fromUsers: from.users, toUsers: to.users, wall });
        }
    }
    return result;
}

function bound(id: string, description: string, value: number | null | undefined, limit: number, comparison: Comparison = "<="): Target {
    const v = value === undefined || value === null || !Number.isFinite(value) ? null : value;
    const met = v === null ? null : comparison === "<=" ? v <= limit : comparison === "<" ? v < limit : v >= limit;
    return { id, description, value: v, comparison, limit, met };
}

/** Lookup list calls beyond one per lookup resource, over the no-op operations (0 when each lookup is read once). */
export function extraLookupReads(stack: StackResult<string>, operations: readonly string[]): number {
    let extra = 0;
    for (const op of operations) {
        const result = stack.operations[op];
        if (result === undefined) continue;
        for (const [operation, calls] of Object.entries(result.api.lookups)) {
            extra += Math.max(0, calls - (stack.lookups[LOOKUP_TYPES[operation] ?? ""] ?? 0));
        }
    }
    return extra;
}

/** The targets, read from the figures. */
export function evaluateTargets(report: Omit<BenchReport, "targets">): Target[] {
    const { full, ratios } = report;
    const ops = full.operations;
    const targets: Target[] = [
        bound("preview-vs-floor", "no-op preview / floor preview (median wall)", ratios.previewVsFloor, 1.5),
        bound("up-vs-floor", "full up / floor up (median wall)", ratios.upVsFloor, 3),
        bound("noop-api-writes", "writing API calls in no-op preview and no-op up", ops.preview.api.writes + ops.upNoop.api.writes, 0),
        bound("noop-sql-writes", "writing SQL in no-op preview and no-op up", ops.preview.sql.writes + ops.upNoop.sql.writes, 0),
        bound("refresh-reads", "refresh API reads per Authentik object", ops.refresh.api.total / Math.max(1, full.authentikObjects), 1),
        bound("lookup-reads", "lookup list calls beyond one per lookup (no-op preview, no-op up, refresh)", extraLookupReads(full, ["preview", "upNoop", "refresh"]), 0),
    ];
    for (const stack of report.scale) {
        const tag = `${stack.users}u/${stack.groups}g`;
        targets.push(bound(`scale-noop-api-writes-${tag}`, `writing API calls in no-op preview at ${tag}`, stack.operations.preview.api.writes, 0));
        targets.push(bound(`scale-refresh-reads-${tag}`, `refresh API reads per Authentik object at ${tag}`, stack.operations.refresh.api.total / Math.max(1, stack.authentikObjects), 1));
        targets.push(bound(`scale-lookup-reads-${tag}`, `lookup list calls beyond one per lookup at ${tag}`, extraLookupReads(stack, ["preview", "refresh"]), 0));
    }
    for (const r of ratios.scale) {
        if (r.toUsers !== 10 * r.fromUsers) continue;
        for (const op of Object.keys(r.wall) as ScaleOperation[]) {
            targets.push(bound(`scale-${op}-${r.fromUsers}-${r.toUsers}-${r.groups}g`, `${op}: ${r.toUsers} users / ${r.fromUsers} users over ${r.groups} groups (median wall)`, r.wall[op], 10));
        }
    }
    for (const stack of report.scale.filter((s) => s.users >= 1000)) {
        const peak = Math.max(...Object.values<OperationResult>(stack.operations).map((o) => o.peakNodeRssMb.max));
        targets.push(bound(`memory-${stack.users}u-${stack.groups}g`, `peak RSS of the node processes at ${stack.users} users, ${stack.groups} groups (MB)`, peak, 1024, "<"));
        // The emulator answers in well under a millisecond: without --latency, calls rarely overlap however they are made.
        const inFlight = report.latencyMs > 0 ? stack.operations.up.concurrency.peak : null;
        targets.push(bound(`parallel-${stack.users}u-${stack.groups}g`, `Authentik requests in flight at once during up at ${stack.users} users (not serialized; needs --latency)`, inFlight, 2, ">="));
    }
    return targets;
}

import type { ApiCalls } from "../../bench/lib/api-calls";
import type { RunSample } from "../../bench/lib/measure";
import { aggregate, type OperationResult } from "../../bench/lib/operation";
import { evaluateTargets, scaleRatios, type BenchReport, type ScaleOperation, type StackResult } from "../../bench/lib/report";
import { ratio } from "../../bench/lib/stats";

/** Small, exact figures for the bench's pure parts. */

export function api(byMethod: Record<string, number> = {}, lookups: Record<string, number> = {}): ApiCalls {
    const total = Object.values(byMethod).reduce((a, b) => a + b, 0);
    const writes = ["POST", "PUT", "PATCH", "DELETE"].reduce((sum, m) => sum + (byMethod[m] ?? 0), 0);
    return { total, writes, byMethod, byOperation: {}, lookups };
}

export function sample(wallMs: number, extra: Partial<RunSample> = {}): RunSample {
    return {
        wallMs,
        nodeBytes: 100 * 2 ** 20,
        treeBytes: 150 * 2 ** 20,
        api: api(),
        sql: { total: 0, writes: 0, byKeyword: {} },
        concurrency: { peak: 0, mean: 0 },
        ...extra,
    };
}

export function op(wallMs: number, extra: Partial<RunSample> = {}): OperationResult {
    return aggregate([sample(wallMs, extra)]);
}

const LOOKUPS = { "pulumi-nodejs:dynamic/authentik:FlowLookup": 2, "pulumi-nodejs:dynamic/authentik:ScopeMappingLookup": 3 };
const NO_LOOKUP_CALLS = { flows_instances_list: 2, propertymappings_provider_scope_list: 3 };

export function scaleStack(users: number, groups: number, wallMs: number): StackResult<ScaleOperation> {
    const reads = api({ GET: users + groups }, NO_LOOKUP_CALLS);
    return {
        users,
        groups,
        resources: 2 * users + groups,
        authentikObjects: users + groups,
        lookups: LOOKUPS,
        operations: { up: op(wallMs, { concurrency: { peak: 4, mean: 2 } }), preview: op(wallMs / 4, { api: api({ GET: 5 }, NO_LOOKUP_CALLS) }), refresh: op(wallMs / 2, { api: reads }) },
        state: { totalBytes: 1000 * users, resources: 2 * users + groups, byType: {} },
    };
}

export function report(): BenchReport {
    const floor = { preview: op(2000), up: op(2500) };
    const noop = op(2800, { api: api({ GET: 6 }, NO_LOOKUP_CALLS) });
    const full: StackResult<"up" | "preview" | "upNoop" | "refresh" | "destroy"> = {
        users: 3,
        groups: 7,
        resources: 60,
        authentikObjects: 26,
        lookups: LOOKUPS,
        operations: { up: op(7000, { api: api({ GET: 26, POST: 23 }) }), preview: noop, upNoop: noop, refresh: op(2000, { api: api({ GET: 26 }, NO_LOOKUP_CALLS) }), destroy: op(3000, { api: api({ DELETE: 20 }) }) },
        state: {
            totalBytes: 200_000,
            resources: 60,
            byType: { "pulumi-nodejs:dynamic/authentik:User": { count: 3, bytes: 15_000, bytesPerResource: 5000, providerBytesPerResource: 4900 } },
        },
    };
    const scale = [scaleStack(10, 20, 10_000), scaleStack(100, 20, 30_000), scaleStack(1000, 20, 400_000)];
    const partial = {
        schema: 1 as const,
        label: "fixture",
        startedAt: "2026-12-01T00:00:00.000Z",
        quick: false,
        machine: { cpus: 2, memoryMb: 4096, node: "v20.0.0", pulumi: "v3.248.0", postgres: "18.0", parallel: 8 },
        latencyMs: 20,
        floor,
        full,
        scale,
        ratios: { previewVsFloor: ratio(noop.wallMs.median, floor.preview.wallMs.median), upVsFloor: ratio(7000, 2500), scale: scaleRatios(scale) },
    };
    return { ...partial, targets: evaluateTargets(partial) };
}

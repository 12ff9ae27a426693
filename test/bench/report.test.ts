import { describe, expect, it } from "vitest";
import { aggregate } from "../../bench/lib/operation";
import { evaluateTargets, extraLookupReads, scaleRatios } from "../../bench/lib/report";
import { api, op, report, sample, scaleStack } from "./fixtures";

describe("bench report", () => {
    it("aggregates runs: wall time summarized, counts at the worst run", () => {
        const result = aggregate([
            sample(1000, { api: api({ GET: 3 }), concurrency: { peak: 2, mean: 1.5 } }),
            sample(3000, { api: api({ GET: 4, POST: 1 }), concurrency: { peak: 3, mean: 2 } }),
            sample(2000, { api: api({ GET: 3 }), concurrency: { peak: 1, mean: 1 } }),
        ]);
        expect(result.runs).toBe(3);
        expect(result.wallMs).toMatchObject({ median: 2000, min: 1000, max: 3000, spread: 1 });
        expect(result.peakNodeRssMb.max).toBe(100);
        expect(result.api).toMatchObject({ total: 5, writes: 1, byMethod: { GET: 4, POST: 1 } });
        expect(result.concurrency).toEqual({ peak: 3, mean: 1.5 });
        expect(() => aggregate([])).toThrow();
    });

    it("compares each size with the next larger one of the same group count", () => {
        const ratios = scaleRatios([scaleStack(100, 20, 30_000), scaleStack(10, 20, 10_000), scaleStack(10, 200, 12_000), scaleStack(1000, 20, 400_000)]);
        expect(ratios.map((r) => [r.groups, r.fromUsers, r.toUsers])).toEqual([
            [20, 10, 100],
            [20, 100, 1000],
        ]);
        expect(ratios[0]!.wall.up).toBeCloseTo(3);
        expect(ratios[1]!.wall.up).toBeCloseTo(400 / 30);
    });

    it("counts lookup list calls beyond one per lookup resource", () => {
        const stack = scaleStack(10, 20, 10_000);
        expect(extraLookupReads(stack, ["preview", "refresh"])).toBe(0);
        const paging = { ...stack, operations: { ...stack.operations, preview: op(1, { api: api({ GET: 9 }, { flows_instances_list: 6, propertymappings_provider_scope_list: 3 }) }) } };
        expect(extraLookupReads(paging, ["preview", "refresh"])).toBe(4);
    });

    it("holds the figures to the issue's targets", () => {
        const targets = Object.fromEntries(report().targets.map((t) => [t.id, t]));
        expect(targets["preview-vs-floor"]).toMatchObject({ value: 1.4, comparison: "<=", limit: 1.5, met: true });
        expect(targets["up-vs-floor"]).toMatchObject({ value: 2.8, limit: 3, met: true });
        expect(targets["noop-api-writes"]).toMatchObject({ value: 0, met: true });
        expect(targets["refresh-reads"]).toMatchObject({ value: 1, met: true });
        expect(targets["lookup-reads"]).toMatchObject({ value: 0, met: true });
        expect(targets["scale-up-10-100-20g"]).toMatchObject({ value: 3, met: true });
        expect(targets["scale-up-100-1000-20g"]!.met).toBe(false);
        expect(targets["memory-1000u-20g"]).toMatchObject({ value: 100, comparison: "<", limit: 1024, met: true });
        expect(targets["parallel-1000u-20g"]).toMatchObject({ value: 4, comparison: ">=", limit: 2, met: true });
    });

    it("leaves requests in flight unknown without --latency (the emulator answers too fast for calls to overlap)", () => {
        const partial = report();
        const targets = evaluateTargets({ ...partial, latencyMs: 0 });
        expect(targets.find((t) => t.id === "parallel-1000u-20g")).toMatchObject({ value: null, met: null });
    });

    it("reads a target it cannot measure as unknown, not met", () => {
        const partial = report();
        const targets = evaluateTargets({ ...partial, ratios: { ...partial.ratios, previewVsFloor: null } });
        expect(targets.find((t) => t.id === "preview-vs-floor")).toMatchObject({ value: null, met: null });
    });

    it("survives JSON as written to bench/results/", () => {
        const written = report();
        const read = JSON.parse(JSON.stringify(written)) as typeof written;
        expect(read).toEqual(written);
        expect(Object.keys(read)).toEqual(["schema", "label", "startedAt", "quick", "machine", "latencyMs", "floor", "full", "scale", "ratios", "targets"]);
        expect(Object.keys(read.full.operations)).toEqual(["up", "preview", "upNoop", "refresh", "destroy"]);
        expect(Object.keys(read.floor.up)).toEqual(["runs", "wallMs", "peakNodeRssMb", "peakTreeRssMb", "api", "sql", "concurrency"]);
    });
});

import { describe, expect, it } from "vitest";
import { formatRatio, formatReport, formatSeconds, renderTable } from "../../bench/lib/table";
import { op, report } from "./fixtures";

describe("bench tables", () => {
    it("aligns text left and figures right", () => {
        expect(renderTable(["operation", "wall"], [["up", "12.5 s"], ["no-op preview", "3.10 s"]]).split("\n")).toEqual([
            "operation        wall",
            "-------------  ------",
            "up             12.5 s",
            "no-op preview  3.10 s",
        ]);
    });

    it("formats seconds, ratios and missing figures", () => {
        expect(formatSeconds(2345)).toBe("2.35 s");
        expect(formatSeconds(61_234)).toBe("61.2 s");
        expect(formatSeconds(undefined)).toBe("-");
        expect(formatRatio(1.234)).toBe("1.23×");
        expect(formatRatio(null)).toBe("-");
    });

    it("prints every section and each target's verdict", () => {
        const text = formatReport(report());
        for (const heading of ["floor (one dynamic resource, one RandomPassword)", "full test stack (3 users, 7 groups", "scale (test users over groups)", "state size per resource", "targets"]) {
            expect(text).toContain(heading);
        }
        expect(text).toMatch(/up\s+7\.00 s\s+-\s+100 MB\s+23\s+0\/0\s+0\s+2\.80×\s+GET 26 POST 23/);
        expect(text).toContain("1000u/20g up");
        expect(text).toContain("MISSED up: 1000 users / 100 users over 20 groups (median wall): 13.33 (<= 10)");
        expect(text).toContain("met    no-op preview / floor preview (median wall): 1.40 (<= 1.5)");
    });

    it("shows a baseline's figures beside the new ones", () => {
        const before = report();
        const after = { ...before, label: "after", full: { ...before.full, operations: { ...before.full.operations, up: op(3500, { api: before.full.operations.up.api }) } } };
        const text = formatReport(after, before);
        expect(text).toContain('gatehouse bench "after" against "fixture"');
        expect(text).toMatch(/up\s+7\.00 s → 3\.50 s/);
        expect(text).toContain("2.80× → 1.40×");
    });
});

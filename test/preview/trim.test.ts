import { describe, expect, it } from "vitest";
import { assemble, fitSections, type Section } from "../../scripts/lib/preview/trim";

const section = (i: number, label = "user to create"): Section => ({ brief: `brief ${i}`.padEnd(50, "."), detail: `detail ${i}`.padEnd(200, "."), label });

describe("trimming", () => {
    it("keeps everything when it fits", () => {
        const fitted = fitSections([section(1), section(2)], 10_000);
        expect(fitted.body).toContain("brief 1");
        expect(fitted.body).toContain("detail 2");
        expect(fitted.omitted).toEqual({ details: 0, sections: new Map() });
    });

    it("drops details before briefs, from the end", () => {
        const fitted = fitSections([section(1), section(2), section(3)], 3 * 52 + 202);
        expect(fitted.body).toContain("brief 3");
        expect(fitted.body).toContain("detail 1");
        expect(fitted.body).not.toContain("detail 2");
        expect(fitted.omitted.details).toBe(2);
    });

    it("then whole sections from the end, counted by label", () => {
        const sections = [section(1, "user to delete"), section(2, "user to create"), section(3, "user to create"), section(4, "group to create")];
        const fitted = fitSections(sections, 110);
        expect(fitted.body).toContain("brief 2");
        expect(fitted.body).not.toContain("brief 3");
        expect([...fitted.omitted.sections]).toEqual([
            ["user to create", 1],
            ["group to create", 1],
        ]);
    });

    it("never cuts the head, and fits the measured footer too", () => {
        const sections = Array.from({ length: 500 }, (_, i) => section(i));
        const { text, omitted } = assemble("HEAD", sections, (o) => `left out ${o.sections.get("user to create") ?? 0}`.padEnd(400, "!"), 5_000);
        expect(text.startsWith("HEAD\n\n")).toBe(true);
        expect(text.length).toBeLessThanOrEqual(5_000);
        expect(text).toContain(`left out ${omitted.sections.get("user to create")}`);
    });
});

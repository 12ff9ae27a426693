import { describe, expect, it } from "vitest";
import { addCounts, maxCounts, median, ratio, summarize } from "../../bench/lib/stats";

describe("bench statistics", () => {
    it("takes the median of odd and even counts, NaN of none", () => {
        expect(median([5, 1, 3])).toBe(3);
        expect(median([4, 1, 3, 2])).toBe(2.5);
        expect(median([])).toBeNaN();
    });

    it("summarizes runs with their spread around the median", () => {
        expect(summarize([10, 12, 8, 11, 9])).toEqual({ n: 5, median: 10, min: 8, max: 12, spread: 0.4 });
        expect(summarize([7])).toEqual({ n: 1, median: 7, min: 7, max: 7, spread: 0 });
        expect(summarize([]).n).toBe(0);
    });

    it("reads a ratio only where both sides are measured and the divisor is not zero", () => {
        expect(ratio(6, 2)).toBe(3);
        expect(ratio(undefined, 2)).toBeNull();
        expect(ratio(1, 0)).toBeNull();
        expect(ratio(NaN, 1)).toBeNull();
    });

    it("adds counts and keeps each key's worst run, sorted", () => {
        expect(addCounts({ GET: 1 }, { GET: 2, POST: 1 })).toEqual({ GET: 3, POST: 1 });
        expect(Object.entries(maxCounts([{ POST: 1, GET: 5 }, { GET: 7 }]))).toEqual([
            ["GET", 7],
            ["POST", 1],
        ]);
    });
});

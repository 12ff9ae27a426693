import { describe, expect, it } from "vitest";
import { concurrencyOf } from "../../bench/lib/concurrency";

describe("requests in flight", () => {
    it("is 1 for requests one after another", () => {
        const events = [0, 1, 2, 3].flatMap((i) => [{ at: i * 10, delta: 1 as const }, { at: i * 10 + 5, delta: -1 as const }]);
        expect(concurrencyOf(events)).toEqual({ peak: 1, mean: 1 });
    });

    it("weighs overlap by time while any request is in flight", () => {
        // Two requests over 0..10 and 5..10: 5 ms at 1, 5 ms at 2.
        const events = [
            { at: 0, delta: 1 as const },
            { at: 5, delta: 1 as const },
            { at: 10, delta: -1 as const },
            { at: 10, delta: -1 as const },
        ];
        expect(concurrencyOf(events)).toEqual({ peak: 2, mean: 1.5 });
    });

    it("reads no requests as none", () => {
        expect(concurrencyOf([])).toEqual({ peak: 0, mean: 0 });
    });
});

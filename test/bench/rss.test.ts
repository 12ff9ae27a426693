import { describe, expect, it } from "vitest";
import { descendants, parseRssBytes, parseStat } from "../../bench/lib/rss";

describe("process tree memory from /proc", () => {
    it("parses stat lines whose command holds spaces and parentheses", () => {
        expect(parseStat("4242 (node) S 4200 4242 4242 0 -1")).toEqual({ pid: 4242, ppid: 4200, comm: "node" });
        expect(parseStat("17 (a (b) c) R 1 17 17 0")).toEqual({ pid: 17, ppid: 1, comm: "a (b) c" });
        expect(parseStat("garbage")).toBeUndefined();
    });

    it("finds every process below a root, not the root or its siblings", () => {
        const procs = [
            { pid: 10, ppid: 1, comm: "pulumi" },
            { pid: 11, ppid: 10, comm: "pulumi-language-nodejs" },
            { pid: 12, ppid: 11, comm: "node" },
            { pid: 13, ppid: 10, comm: "sh" },
            { pid: 14, ppid: 13, comm: "node" },
            { pid: 20, ppid: 1, comm: "node" },
        ];
        expect(descendants(10, procs).map((p) => p.pid).sort()).toEqual([11, 12, 13, 14]);
        expect(descendants(99, procs)).toEqual([]);
    });

    it("reads VmRSS in bytes", () => {
        expect(parseRssBytes("Name:\tnode\nVmHWM:\t  900 kB\nVmRSS:\t  512 kB\n")).toBe(512 * 1024);
        expect(parseRssBytes("Name:\tzombie\n")).toBe(0);
    });
});

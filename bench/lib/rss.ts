import { readdirSync, readFileSync } from "node:fs";

/**
 * Peak memory of a command's process tree, sampled from /proc: the sum of the RSS of every `node` process below the
 * command (the program, the dynamic-provider process) at each sample, and the peak of those sums. The bench's own
 * process (which hosts the emulator) is not below the command, so it is not counted.
 */

interface ProcInfo {
    readonly pid: number;
    readonly ppid: number;
    readonly comm: string;
}

/** `pid (comm) state ppid …`; comm may hold spaces and parentheses, so it ends at the last `)`. */
export function parseStat(text: string): ProcInfo | undefined {
    const open = text.indexOf("(");
    const close = text.lastIndexOf(")");
    if (open < 0 || close < open) return undefined;
    const rest = text.slice(close + 2).split(" ");
    const pid = Number(text.slice(0, open).trim());
    const ppid = Number(rest[1]);
    return Number.isFinite(pid) && Number.isFinite(ppid) ? { pid, ppid, comm: text.slice(open + 1, close) } : undefined;
}

/** The pids below `root` (not `root` itself) in a pid → parent table. */
export function descendants(root: number, procs: readonly ProcInfo[]): ProcInfo[] {
    const children = new Map<number, ProcInfo[]>();
    for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
    const found: ProcInfo[] = [];
    const queue = [root];
    for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
        for (const child of children.get(pid) ?? []) {
            found.push(child);
            queue.push(child.pid);
        }
    }
    return found;
}

/** `VmRSS:   12345 kB` of /proc/<pid>/status, in bytes. */
export function parseRssBytes(status: string): number {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) * 1024 : 0;
}

function processes(): ProcInfo[] {
    const result: ProcInfo[] = [];
    for (const name of readdirSync("/proc")) {
        if (!/^\d+$/.test(name)) continue;
        try {
            const info = parseStat(readFileSync(`/proc/${name}/stat`, "utf8"));
            if (info) result.push(info);
        } catch {
            // Gone between the listing and the read.
        }
    }
    return result;
}

function rssOf(pid: number): number {
    try {
        return parseRssBytes(readFileSync(`/proc/${pid}/status`, "utf8"));
    } catch {
        return 0;
    }
}

export interface PeakMemory {
    /** Peak of the summed RSS of the tree's node processes, bytes. */
    readonly nodeBytes: number;
    /** Peak of the summed RSS of the whole tree (engine, plugins, node), bytes. */
    readonly treeBytes: number;
    readonly samples: number;
}

/** Samples the tree below `root` every `intervalMs` until `stop()`, which returns the peaks. */
export function sampleMemory(root: number, intervalMs = 50): { stop(): PeakMemory } {
    let nodeBytes = 0;
    let treeBytes = 0;
    let samples = 0;
    const sample = () => {
        let node = 0;
        let tree = 0;
        for (const p of descendants(root, processes())) {
            const rss = rssOf(p.pid);
            tree += rss;
            if (p.comm === "node") node += rss;
        }
        nodeBytes = Math.max(nodeBytes, node);
        treeBytes = Math.max(treeBytes, tree);
        samples++;
    };
    const timer = setInterval(sample, intervalMs);
    return {
        stop() {
            clearInterval(timer);
            return { nodeBytes, treeBytes, samples };
        },
    };
}

import type { OperationResult } from "./operation";
import { FULL_OPERATIONS, SCALE_OPERATIONS, type BenchReport, type Target } from "./report";
import { ratio } from "./stats";

/** The report as text tables; with a baseline (an earlier report), each figure shows `before → after`. Pure. */

/** Aligned columns: numbers (and `→` pairs) right, text left. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
    const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => /^[-\d.,×%±→ sMBkx/()]*$/.test(r[i] ?? "") && /\d|^-$/.test(r[i] ?? "-")));
    const line = (cells: readonly string[]) =>
        cells
            .map((c, i) => (numeric[i] && i > 0 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
            .join("  ")
            .trimEnd();
    return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

export function formatSeconds(ms: number | undefined): string {
    return ms === undefined || !Number.isFinite(ms) ? "-" : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function formatRatio(value: number | null | undefined): string {
    return value === null || value === undefined ? "-" : `${value.toFixed(2)}×`;
}

function beside(before: string | undefined, after: string): string {
    return before === undefined || before === after ? after : `${before} → ${after}`;
}

/** Writing calls by method, `GET 12 POST 3`; `-` when none. */
function methods(op: OperationResult): string {
    const entries = Object.entries(op.api.byMethod);
    return entries.length === 0 ? "-" : entries.map(([m, n]) => `${m} ${n}`).join(" ");
}

interface Cells {
    wall: string;
    spread: string;
    rss: string;
    api: string;
    apiWrites: string;
    sql: string;
    inFlight: string;
}

function cells(op: OperationResult | undefined): Cells | undefined {
    if (op === undefined) return undefined;
    return {
        wall: formatSeconds(op.wallMs.median),
        spread: op.runs > 1 ? `±${Math.round((op.wallMs.spread * 100) / 2)}%` : "-",
        rss: `${Math.round(op.peakNodeRssMb.max)} MB`,
        api: methods(op),
        apiWrites: String(op.api.writes),
        sql: `${op.sql.total}/${op.sql.writes}`,
        inFlight: `${op.concurrency.peak}`,
    };
}

function row(name: string, after: OperationResult | undefined, before: OperationResult | undefined, extra: readonly [string | undefined, string][] = []): string[] {
    const a = cells(after);
    const b = cells(before);
    if (a === undefined) return [name, "-", "-", "-", "-", "-", "-", ...extra.map(() => "-")];
    const pick = (k: keyof Cells) => beside(b?.[k], a[k]);
    return [name, pick("wall"), a.spread, pick("rss"), pick("apiWrites"), pick("sql"), pick("inFlight"), ...extra.map(([x, y]) => beside(x, y)), pick("api")];
}

const HEADER = ["operation", "wall (median)", "spread", "peak node RSS", "API writes", "SQL all/writing", "in flight"];

function targetLine(t: Target, before: Target | undefined): string {
    const mark = t.met === null ? "?" : t.met ? "met" : "MISSED";
    const value = (x: number | null | undefined) => (x === null || x === undefined ? "-" : Number.isInteger(x) ? String(x) : x.toFixed(2));
    return `  ${mark.padEnd(6)} ${t.description}: ${beside(before === undefined ? undefined : value(before.value), value(t.value))} (${t.comparison} ${t.limit})`;
}

export function formatReport(report: BenchReport, baseline?: BenchReport): string {
    const out: string[] = [];
    const m = report.machine;
    out.push(`gatehouse bench "${report.label}"${baseline ? ` against "${baseline.label}"` : ""}: ${report.startedAt}, ${m.cpus} CPUs, ${m.memoryMb} MB, node ${m.node}, pulumi ${m.pulumi} (--parallel ${m.parallel}${m.checkpoints === "final only" ? ", PULUMI_SKIP_CHECKPOINTS: state saved at the end only" : ""}), PostgreSQL ${m.postgres}${report.latencyMs > 0 ? `, Authentik answers ${report.latencyMs} ms late` : ""}${report.quick ? ", --quick" : ""}`);
    out.push("", "floor (one dynamic resource, one RandomPassword)");
    out.push(renderTable([...HEADER, "API by method"], [row("up", report.floor.up, baseline?.floor.up), row("no-op preview", report.floor.preview, baseline?.floor.preview)]));

    const full = report.full;
    out.push("", `full test stack (${full.users} users, ${full.groups} groups: ${full.resources} resources, ${full.authentikObjects} Authentik objects)`);
    const vsFloor = (op: string) => (op === "up" ? report.floor.up : op === "preview" || op === "upNoop" ? report.floor.preview : undefined);
    const fullRows = FULL_OPERATIONS.map((op) => {
        const floorOf = vsFloor(op);
        const factor = (r: BenchReport | undefined) => (r && floorOf ? formatRatio(ratio(r.full.operations[op]?.wallMs.median, (op === "up" ? r.floor.up : r.floor.preview).wallMs.median)) : undefined);
        return row(op, full.operations[op], baseline?.full.operations[op], [[factor(baseline), factor(report) ?? "-"]]);
    });
    out.push(renderTable([...HEADER, "× floor", "API by method"], fullRows));

    out.push("", "scale (test users over groups)");
    const scaleRows: string[][] = [];
    for (const stack of report.scale) {
        const was = baseline?.scale.find((s) => s.users === stack.users && s.groups === stack.groups);
        const r = report.ratios.scale.find((x) => x.toUsers === stack.users && x.groups === stack.groups);
        const wasRatio = baseline?.ratios.scale.find((x) => x.toUsers === stack.users && x.groups === stack.groups);
        for (const op of SCALE_OPERATIONS) {
            const name = `${stack.users}u/${stack.groups}g ${op}`;
            scaleRows.push(row(name, stack.operations[op], was?.operations[op], [[wasRatio ? formatRatio(wasRatio.wall[op]) : undefined, r ? formatRatio(r.wall[op]) : "-"]]));
        }
    }
    out.push(renderTable([...HEADER, "× smaller size", "API by method"], scaleRows));

    out.push("", "state size per resource, by type (largest stack)");
    const largest = [...report.scale, full].sort((a, b) => b.resources - a.resources)[0]!;
    const was = baseline && [...baseline.scale, baseline.full].find((s) => s.users === largest.users && s.groups === largest.groups);
    const kb = (bytes: number | undefined) => (bytes === undefined ? undefined : `${(bytes / 1024).toFixed(1)} kB`);
    const stateRows = Object.entries(largest.state.byType).map(([type, size]) => {
        const before = was?.state.byType[type];
        return [type.replace(/^pulumi-nodejs:dynamic\//, "dynamic/"), String(size.count), beside(kb(before?.bytesPerResource), kb(size.bytesPerResource)!), beside(kb(before?.providerBytesPerResource), kb(size.providerBytesPerResource)!)];
    });
    stateRows.push(["all", String(largest.resources), beside(kb(was?.state.totalBytes), kb(largest.state.totalBytes)!), ""]);
    out.push(`${largest.users} users, ${largest.groups} groups`, renderTable(["type", "count", "per resource", "of it __provider"], stateRows));

    out.push("", "targets");
    for (const t of report.targets) out.push(targetLine(t, baseline?.targets.find((b) => b.id === t.id)));
    return out.join("\n");
}

/** The audit as text (one line per item) or JSON; neither ever holds a secret value (details never carry one). */
import type { ItemResult } from "./types";
import { scrub } from "../../../infra/secrets/scrub";

export interface AuditReport {
    readonly stack: string;
    readonly environment: string | null;
    readonly live: boolean;
    readonly summary: { readonly pass: number; readonly fail: number; readonly "n/a": number };
    readonly items: readonly ItemResult[];
}

export function report(stack: string, environment: string | undefined, live: boolean, items: readonly ItemResult[]): AuditReport {
    const count = (status: string) => items.filter((i) => i.status === status).length;
    return { stack, environment: environment ?? null, live, summary: { pass: count("pass"), fail: count("fail"), "n/a": count("n/a") }, items };
}

/** `fail  SQ-06  Require MFA for platform admins — flow …` */
export function textLines(r: AuditReport): string[] {
    const lines = r.items.map((i) => `${i.status.padEnd(4)}  ${i.id}  ${i.item} — ${i.detail}`);
    lines.push(`${r.summary.pass} passed, ${r.summary.fail} failed, ${r.summary["n/a"]} n/a (stack ${r.stack}${r.environment ? `, ${r.environment}` : ""}${r.live ? ", live" : ", config only"})`);
    return lines;
}

/** A last guard: a value of the stack's secrets in the output is replaced, whatever produced it. */
export function scrubReport(text: string, secrets: Iterable<string>): string {
    return scrub(text, secrets, 8);
}

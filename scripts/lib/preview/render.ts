import { changesOf, displayName, kindLabel, warningsOf, type Action, type Change, type Warning } from "./classify";
import { describe } from "./describe";
import { maskText, maskValue } from "./mask";
import { code, count, details, fenced, plural } from "./markdown";
import { marker } from "./marker";
import { previewErrors, type Preview } from "./model";
import { indexNames, type Names } from "./names";
import { diffLines, inputChanges } from "./property-diff";
import { assemble, nothingOmitted, type Omitted, type Section } from "./trim";

/** GitHub refuses comments over 65,536 characters; this leaves room for what the workflow adds. */
export const MAX_COMMENT_LENGTH = 60_000;

export interface RenderOptions {
    readonly project: string;
    /** `org/project/stack`. */
    readonly stack: string;
    /** Show the stack's current outputs (masked): off by default, outputs may say more than a reviewer needs. */
    readonly showOutputs?: boolean;
    readonly maxLength?: number;
}

export interface RenderedComment {
    readonly markdown: string;
    /** The engine reported errors: the preview is incomplete. */
    readonly failed: boolean;
    /** Resources the preview changes. */
    readonly changes: number;
    readonly trimmed: boolean;
}

const VERB: Readonly<Record<Action, string>> = { create: "create", update: "update", replace: "replace", delete: "delete", import: "import" };
const WARNING_TITLE: Readonly<Record<Warning["category"], string>> = { rotation: "Secret rotation", replace: "Replaced", delete: "Deleted", protected: "Protected" };
/** Names listed per warning group before "and N more": the head must stay small whatever the preview. */
const NAMES_PER_WARNING = 10;
const MAX_ERROR_TEXT = 8_000;

function warningLines(warnings: readonly Warning[]): string[] {
    const groups = new Map<string, Warning[]>();
    for (const w of warnings) {
        const key = `${w.category}\u0000${w.kind}`;
        groups.set(key, [...(groups.get(key) ?? []), w]);
    }
    const lines: string[] = [];
    for (const group of groups.values()) {
        const { category, kind } = group[0]!;
        if (group.length <= NAMES_PER_WARNING) {
            for (const w of group) lines.push(`- **${WARNING_TITLE[category]}:** ${kind} ${code(w.name)}${w.detail !== undefined ? ` — ${w.detail}` : ""}`);
            continue;
        }
        const shown = group.slice(0, NAMES_PER_WARNING).map((w) => code(w.name)).join(", ");
        const common = group.every((w) => w.detail === group[0]!.detail) ? group[0]!.detail : undefined;
        lines.push(`- **${WARNING_TITLE[category]}:** ${plural(group.length, kind)}: ${shown} and ${count(group.length - NAMES_PER_WARNING)} more${common !== undefined ? ` — ${common}` : ""}`);
    }
    return lines;
}

function summaryLine(preview: Preview): string {
    const n = (op: string) => count(preview.changeSummary[op] ?? 0);
    const imports = preview.changeSummary.import ? ` · ${n("import")} to import` : "";
    return `**Plan:** ${n("create")} to create · ${n("update")} to update · ${n("replace")} to replace · ${n("delete")} to delete${imports} · ${n("same")} unchanged`;
}

function failureBlock(preview: Preview): string | undefined {
    const errors = previewErrors(preview);
    if (errors.length === 0) return undefined;
    let text = errors.map((e) => maskText(e.message.trim())).join("\n\n");
    if (text.length > MAX_ERROR_TEXT) text = `${text.slice(0, MAX_ERROR_TEXT)}\n… (the rest of the engine's output is left out)`;
    return `> [!CAUTION]\n> **The preview failed:** what follows is incomplete, and \`pulumi up\` would fail the same way. The engine said:\n\n${fenced(text, "text")}`;
}

function section(change: Change, names: Names): Section {
    const name = displayName(change, names);
    const words = describe(change, names);
    const brief = [`**${VERB[change.action]}** · ${kindLabel(change.type)} ${code(name)}`, ...words.map((w) => `- ${w}`)].join("\n");
    const diff = diffLines(inputChanges(change.old?.inputs, change.new?.inputs), (value) => names.byPk(value));
    return {
        brief,
        ...(diff.length > 0 && { detail: details("property diff", fenced(diff.join("\n"), "diff")) }),
        label: `${kindLabel(change.type)} to ${VERB[change.action]}`,
    };
}

function outputsSection(preview: Preview): Section | undefined {
    const root = preview.steps.find((s) => s.urn.includes("::pulumi:pulumi:Stack::"));
    const outputs = root?.oldState?.outputs;
    if (outputs === undefined || Object.keys(outputs).length === 0) return undefined;
    const body = fenced(JSON.stringify(maskValue(outputs), null, 2), "json");
    return { brief: "**Stack outputs** as they are now (a preview cannot know the new ones; secrets masked)", detail: details("stack outputs", body), label: "stack outputs" };
}

function footer(omitted: Omitted, stack: string): string {
    const how = `pulumi preview --diff --stack ${stack}`;
    if (nothingOmitted(omitted)) return `<sub>From \`pulumi preview --json\`; every secret shown as \`[secret]\`. Full detail: ${code(how)}</sub>`;
    const left = [...omitted.sections].slice(0, 20).map(([label, n]) => `${count(n)} × ${label}`);
    const more = omitted.sections.size > 20 ? `, and ${omitted.sections.size - 20} more kinds` : "";
    const parts = [
        ...(omitted.details > 0 ? [`the property diffs of ${plural(omitted.details, "resource")}`] : []),
        ...(left.length > 0 ? [`these resources entirely: ${left.join(", ")}${more}`] : []),
    ];
    return `**Trimmed to stay under GitHub's comment size limit.** Left out: ${parts.join("; ")}. See everything with ${code(how)}.`;
}

/** One stack's comment: marker, title, failure, warnings and summary first; then each change; trimmed to fit. */
export function renderComment(preview: Preview, options: RenderOptions): RenderedComment {
    const names = indexNames(preview.steps);
    const changes = changesOf(preview);
    const warnings = warningLines(warningsOf(changes, names));
    const failure = failureBlock(preview);
    const head = [
        marker(options.project, options.stack),
        `### Pulumi preview: ${code(options.stack)}`,
        ...(failure !== undefined ? [failure] : []),
        ...(warnings.length > 0 ? [`> [!WARNING]\n${warnings.map((line) => `> ${line}`).join("\n")}`] : []),
        summaryLine(preview),
        ...(changes.length === 0 && failure === undefined ? ["No changes: the stack is up to date."] : []),
    ].join("\n\n");
    const sections = changes.map((c) => section(c, names));
    const outputs = options.showOutputs ? outputsSection(preview) : undefined;
    const { text, omitted } = assemble(head, [...sections, ...(outputs !== undefined ? [outputs] : [])], (o) => footer(o, options.stack), (options.maxLength ?? MAX_COMMENT_LENGTH) - 1);
    return { markdown: `${text}\n`, failed: failure !== undefined, changes: changes.length, trimmed: !nothingOmitted(omitted) };
}

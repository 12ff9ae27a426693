/**
 * What `pulumi preview --json` prints (Pulumi 3.248's display/json.go), the fields Gatehouse reads, and the checks
 * that tell a preview from any other file. Values are as the engine wrote them: secrets already `[secret]`, values not
 * known before apply as the engine's unknown sentinel.
 */

/** The engine's placeholder for a value known only after apply (plugin.UnknownStringValue). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type PropertyMap = Record<string, JsonValue>;

export interface ResourceState {
    readonly urn: string;
    readonly type: string;
    readonly custom?: boolean;
    readonly id?: string;
    readonly inputs?: PropertyMap;
    readonly outputs?: PropertyMap;
    readonly protect?: boolean;
    readonly retainOnDelete?: boolean;
    readonly parent?: string;
    readonly dependencies?: string[];
    readonly propertyDependencies?: Record<string, string[]>;
}

export interface PropertyDiff {
    readonly kind: string;
    readonly inputDiff?: boolean;
}

export interface PreviewStep {
    /** same, create, update, delete, replace, create-replacement, delete-replaced, read, import, … */
    readonly op: string;
    readonly urn: string;
    readonly oldState?: ResourceState;
    readonly newState?: ResourceState;
    readonly diffReasons?: string[];
    readonly replaceReasons?: string[];
    readonly detailedDiff?: Record<string, PropertyDiff> | null;
}

export interface Diagnostic {
    readonly message: string;
    readonly severity: string;
    readonly urn?: string;
}

export interface Preview {
    readonly steps: PreviewStep[];
    readonly diagnostics: Diagnostic[];
    /** Counts by operation, `same` included (sames are counted even when their steps are not listed). */
    readonly changeSummary: Record<string, number>;
}

/** The input is not what `pulumi preview --json` prints. */
export class PreviewInputError extends Error {}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Parses and checks a preview. `source` names the input in messages (a file, or `pulumi preview` of a stack). An empty
 * preview (no step at all, not even the stack's own) is refused too: the engine always lists the stack.
 */
export function parsePreview(text: string, source: string): Preview {
    if (text.trim() === "") throw new PreviewInputError(`${source} is empty: expected the output of \`pulumi preview --json\``);
    let document: unknown;
    try {
        document = JSON.parse(text);
    } catch {
        throw new PreviewInputError(`${source} is not JSON: expected the output of \`pulumi preview --json\``);
    }
    if (!isRecord(document) || !Array.isArray(document.steps) || (document.changeSummary !== undefined && !isRecord(document.changeSummary))) {
        throw new PreviewInputError(`${source} is JSON but not a preview: \`pulumi preview --json\` prints an object with "steps" and "changeSummary"`);
    }
    const steps = document.steps.filter((step): step is PreviewStep => isRecord(step) && typeof step.op === "string" && typeof step.urn === "string");
    if (steps.length !== document.steps.length) throw new PreviewInputError(`${source}: a step without "op" and "urn": not a preview of \`pulumi preview --json\``);
    const diagnostics = Array.isArray(document.diagnostics)
        ? document.diagnostics.filter(isRecord).map((d) => ({ message: String(d.message ?? ""), severity: String(d.severity ?? "info"), ...(typeof d.urn === "string" && { urn: d.urn }) }))
        : [];
    if (steps.length === 0 && !diagnostics.some((d) => d.severity === "error")) {
        throw new PreviewInputError(`${source} is an empty preview (no steps, not even the stack's own): was \`pulumi preview --json\` interrupted?`);
    }
    const changeSummary: Record<string, number> = {};
    for (const [op, count] of Object.entries(isRecord(document.changeSummary) ? document.changeSummary : {})) if (typeof count === "number") changeSummary[op] = count;
    return { steps, diagnostics, changeSummary };
}

/** The engine's errors; a preview with any did not complete. */
export function previewErrors(preview: Preview): Diagnostic[] {
    return preview.diagnostics.filter((d) => d.severity === "error");
}

/** `<stack>` and `<project>` of a URN (`urn:pulumi:<stack>::<project>::<type>::<name>`). */
export function urnParts(urn: string): { stack: string; project: string; name: string } {
    const parts = urn.replace(/^urn:pulumi:/, "").split("::");
    return { stack: parts[0] ?? "", project: parts[1] ?? "", name: parts[parts.length - 1] ?? "" };
}

/** The state a step leaves (or, for a delete, the one it removes). */
export function stateOf(step: PreviewStep): ResourceState | undefined {
    return step.newState ?? step.oldState;
}

import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { PulumiStack } from "../pulumi-cli";
import { maskText } from "./mask";
import { parsePreview, PreviewInputError, urnParts, type Preview } from "./model";

/** One stack's preview and the names its comment is marked with. */
export interface StackPreview {
    readonly project: string;
    /** `org/project/stack`. */
    readonly stack: string;
    readonly preview: Preview;
}

export interface LiveOptions {
    readonly configFile?: string;
    /** Progress lines (stderr). */
    readonly progress?: (line: string) => void;
}

/** Group pks are named from the groups' states: sames are listed only with --show-sames. */
export const PREVIEW_ARGS = ["preview", "--json", "--show-sames"] as const;

const lastLine = (text: string) => maskText(text.trim().split("\n").filter(Boolean).pop() ?? "");

/** `org/project/stack` as the stack's backend names it; a stack the backend does not know is an input error. */
async function qualifiedName(stack: PulumiStack, name: string): Promise<string> {
    const result = await stack.run("stack", "--show-name", "--fully-qualify-stack-names");
    const qualified = result.stdout.trim();
    if (result.code !== 0 || qualified.split("/").length !== 3) {
        throw new PreviewInputError(`stack ${name} does not exist or cannot be read on this backend: ${lastLine(result.stderr) || `pulumi exited with ${result.code}`}`);
    }
    return qualified;
}

/** Runs `pulumi preview --json --show-sames` on an existing stack of the caller's backend. */
export async function livePreview(name: string, options: LiveOptions = {}): Promise<StackPreview> {
    const stack = PulumiStack.attach(name, { ...(options.configFile !== undefined && { configFile: options.configFile }) });
    const qualified = await qualifiedName(stack, name);
    options.progress?.(`previewing ${qualified}…`);
    const result = await stack.run(...PREVIEW_ARGS);
    const source = `pulumi preview of stack ${qualified}`;
    let preview: Preview;
    try {
        preview = parsePreview(result.stdout, source);
    } catch (error) {
        if (result.code === 0) throw error;
        // Failed before it could print a preview (login, passphrase, plugin): the engine's words are the comment.
        preview = { steps: [], diagnostics: [{ severity: "error", message: result.stderr.trim() || result.stdout.trim() || `pulumi preview exited with ${result.code}` }], changeSummary: {} };
    }
    if (result.code !== 0 && !preview.diagnostics.some((d) => d.severity === "error")) {
        preview = { ...preview, diagnostics: [...preview.diagnostics, { severity: "error", message: result.stderr.trim() || `pulumi preview exited with ${result.code}` }] };
    }
    return { project: qualified.split("/")[1]!, stack: qualified, preview };
}

/**
 * A preview saved earlier as `DIR/<stack>.json`. The stack may be given as `org/project/stack`, `org/stack` or `stack`;
 * the project comes from the preview's URNs, an org not given from the backend (`pulumi stack -Q`).
 */
export async function savedPreview(dir: string, name: string, options: LiveOptions = {}): Promise<StackPreview> {
    const parts = name.split("/");
    const short = parts[parts.length - 1]!;
    const file = join(dir, `${short}.json`);
    if (!existsSync(file)) {
        throw new PreviewInputError(`no saved preview for stack ${name}: ${file} does not exist (save one with \`pulumi ${PREVIEW_ARGS.join(" ")} --stack ${short} > ${file}\`)`);
    }
    const preview = parsePreview(await readFile(file, "utf8"), file);
    const urn = preview.steps[0]?.urn;
    const fromUrn = urn !== undefined ? urnParts(urn) : undefined;
    if (fromUrn !== undefined && fromUrn.stack !== short) throw new PreviewInputError(`${file} is a preview of stack ${fromUrn.stack}, not ${short}`);
    const project = parts.length === 3 ? parts[1]! : fromUrn?.project;
    if (project === undefined) throw new PreviewInputError(`${file} names no project (no resource in it): give the stack as org/project/stack`);
    if (fromUrn !== undefined && fromUrn.project !== project) throw new PreviewInputError(`${file} is a preview of project ${fromUrn.project}, not ${project}`);
    if (parts.length === 3) return { project, stack: name, preview };
    if (parts.length === 2) return { project, stack: `${parts[0]}/${project}/${short}`, preview };
    options.progress?.(`asking the backend for the org of stack ${short}…`);
    const stack = PulumiStack.attach(short);
    const qualified = await qualifiedName(stack, short).catch((error: unknown) => {
        throw new PreviewInputError(`${error instanceof Error ? error.message : String(error)}; give the stack as org/project/stack to use a saved preview without the backend`);
    });
    return { project, stack: qualified, preview };
}

import * as pulumi from "@pulumi/pulumi";
import { apiBase, networkCode, rememberStackToken, tokenFor } from "../authentik/core/connection";
import { blueprintProblems } from "./yaml";

/**
 * A blueprint file applied through authentik's API: `POST /api/v3/managed/blueprints/import/` (multipart `file`),
 * which validates every entry in a rolled-back transaction and then applies them once, without creating a
 * blueprint instance, answering `{success, logs}` synchronously. A failed apply fails `pulumi up` with authentik's
 * own log lines: blueprint failures are otherwise silent in authentik's UI (goauthentik/authentik#25286, #12186).
 * Where authentik also discovers the file itself (the runtime mounts blueprints/ at /blueprints/custom), the
 * instance it made is looked up (`GET /managed/blueprints/?path=custom/<file>`) and its status reported.
 */
export interface BlueprintImportInputs {
    readonly url: string;
    /** Secret; default the stack's `authentik.token`. */
    readonly token?: string;
    /** The file's name in blueprints/. */
    readonly file: string;
    readonly content: string;
}

interface ImportLog {
    readonly log_level: string;
    readonly event: string;
    readonly attributes?: Record<string, unknown>;
}

/** What authentik said, worst first: its warnings and errors, else every line. */
export function describeImportFailure(file: string, logs: readonly ImportLog[]): string {
    const serious = logs.filter((l) => ["warning", "warn", "error", "critical", "exception"].includes(l.log_level));
    const lines = (serious.length > 0 ? serious : logs).map((l) => `  ${l.log_level}: ${l.event}${l.attributes?.entry ? ` (entry ${JSON.stringify(l.attributes.entry)})` : ""}`);
    return [`authentik refused blueprint blueprints/${file} (the import answered success: false); authentik's log:`, ...(lines.length > 0 ? lines : ["  (no log lines)"])].join("\n");
}

/** Imports one blueprint; returns the status of the instance authentik made of the same file, or "none". */
export async function importBlueprint(inputs: BlueprintImportInputs): Promise<string> {
    const base = apiBase(inputs.url);
    const token = tokenFor(inputs.token);
    const headers = { Authorization: `Bearer ${token}`, Accept: "application/json" };
    const form = new FormData();
    form.append("file", new Blob([inputs.content], { type: "application/yaml" }), inputs.file);
    let response: Response;
    try {
        response = await fetch(`${base}/managed/blueprints/import/`, { method: "POST", headers, body: form, signal: AbortSignal.timeout(120_000) });
    } catch (error) {
        const code = networkCode(error);
        throw new Error(`blueprint ${inputs.file}: cannot reach Authentik at ${inputs.url}${code !== undefined ? ` (${code})` : ""}`);
    }
    const text = await response.text();
    if (response.status === 401 || response.status === 403) throw new Error(`blueprint ${inputs.file}: the Authentik API token is missing, invalid or lacks permission (HTTP ${response.status})`);
    if (response.status >= 500) {
        throw new Error(`blueprint ${inputs.file}: authentik answered HTTP ${response.status} to the import: it could not load the file (a YAML error or a tag it does not know; its server log says which)`);
    }
    const body = (text === "" ? {} : JSON.parse(text)) as { success?: boolean; logs?: ImportLog[] };
    if (response.status !== 200 || body.success !== true) throw new Error(describeImportFailure(inputs.file, body.logs ?? []));
    const listed = await fetch(`${base}/managed/blueprints/?path=${encodeURIComponent(`custom/${inputs.file}`)}`, { headers, signal: AbortSignal.timeout(30_000) });
    if (!listed.ok) return "none";
    const instances = ((await listed.json()) as { results?: { path: string; status: string }[] }).results ?? [];
    return instances.find((i) => i.path === `custom/${inputs.file}`)?.status ?? "none";
}

/** Imports the file and returns the resource's outputs; an instance of the same file in error is reported. */
async function applied(state: BlueprintImportInputs): Promise<BlueprintImportInputs & { instanceStatus: string }> {
    const instanceStatus = await importBlueprint(state);
    if (instanceStatus === "error") console.error(`blueprint ${state.file}: applied, but authentik's own instance of custom/${state.file} has status error (its worker applies the mounted file too)`);
    return { ...state, instanceStatus };
}

const provider: pulumi.dynamic.ResourceProvider = {
    async configure(req) {
        rememberStackToken(req.config);
    },
    async check(_olds, news) {
        const content = (news as BlueprintImportInputs).content;
        const failures = typeof content === "string" ? blueprintProblems(content).map((reason) => ({ property: "content", reason: `blueprints/${String(news.file)}: ${reason}` })) : [];
        return { inputs: news, failures };
    },
    async diff(_id, olds, news) {
        const changed = ["url", "token", "file", "content"].filter((key) => olds[key] !== news[key]);
        return { changes: changed.length > 0, replaces: changed.includes("file") ? ["file"] : [] };
    },
    async create(inputs) {
        const state = inputs as BlueprintImportInputs;
        return { id: state.file, outs: await applied(state) };
    },
    async update(_id, _olds, news) {
        return { outs: await applied(news as BlueprintImportInputs) };
    },
    async delete() {
        // What a blueprint made stays: authentik keeps no record of an import to undo.
    },
};

export interface BlueprintImportArgs {
    readonly url: pulumi.Input<string>;
    /** The API token when it is not the stack's (the runtime's bootstrap token); a secret. */
    readonly token?: pulumi.Input<string>;
    readonly file: string;
    readonly content: string;
}

/** One file of blueprints/ applied to Authentik on every change; `instanceStatus` is authentik's own instance's. */
export class BlueprintImport extends pulumi.dynamic.Resource {
    declare readonly instanceStatus: pulumi.Output<string>;

    constructor(name: string, args: BlueprintImportArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            provider,
            name,
            { url: args.url, ...(args.token !== undefined && { token: pulumi.secret(args.token) }), file: args.file, content: args.content, instanceStatus: undefined },
            pulumi.mergeOptions(opts, { additionalSecretOutputs: ["token"] }),
            "authentik",
            "BlueprintImport",
        );
    }
}

export { provider as blueprintImportProvider };

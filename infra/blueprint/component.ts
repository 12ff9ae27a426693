import { readFileSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { BlueprintImport } from "./import";

/** The repository's blueprints/: files written by people that a stack applies (`authentik.blueprints`). */
export const BLUEPRINTS_DIR = resolve(__dirname, "..", "..", "blueprints");

export interface GatehouseBlueprintsArgs {
    /** Base URL of Authentik; an Output works too (the runtime's, once it answers). */
    readonly url: pulumi.Input<string>;
    /** The API token when it is not the stack's; a secret. */
    readonly token?: pulumi.Input<string>;
    /** File names in `dir` (`authentik.blueprints`), applied in this order. */
    readonly files: readonly string[];
    /** Default: the repository's blueprints/. */
    readonly dir?: string;
}

/** Reads a file of `dir` at program time: a missing one fails before anything is declared. */
export function readBlueprintFile(dir: string, file: string): string {
    const path = resolve(dir, file);
    const rel = relative(dir, path);
    if (isAbsolute(file) || rel.startsWith("..")) throw new Error(`authentik.blueprints: "${file}" must be a file in ${dir}`);
    try {
        return readFileSync(path, "utf8");
    } catch {
        throw new Error(`authentik.blueprints: no file "${file}" in ${dir}`);
    }
}

/**
 * Blueprints from blueprints/ applied through authentik's import API, one after the other (a later file may refer to
 * what an earlier one made), each again whenever its content changes. A failed apply fails `pulumi up` with
 * authentik's own log lines.
 */
export class GatehouseBlueprints extends pulumi.ComponentResource {
    /** authentik's own instance status per file (`none` where authentik does not discover the file itself). */
    readonly instanceStatus: Readonly<Record<string, pulumi.Output<string>>>;

    constructor(name: string, args: GatehouseBlueprintsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("gatehouse:blueprint:GatehouseBlueprints", name, {}, opts);
        const dir = args.dir ?? BLUEPRINTS_DIR;
        const contents = args.files.map((file) => [file, readBlueprintFile(dir, file)] as const);
        const status: Record<string, pulumi.Output<string>> = {};
        let previous: BlueprintImport | undefined;
        for (const [file, content] of contents) {
            const imported: BlueprintImport = new BlueprintImport(
                `${name}-${file.replace(/[^a-zA-Z0-9-]/g, "-")}`,
                { url: args.url, ...(args.token !== undefined && { token: args.token }), file, content },
                { parent: this, ...(previous !== undefined && { dependsOn: [previous] }) },
            );
            status[file] = imported.instanceStatus;
            previous = imported;
        }
        this.instanceStatus = status;
        this.registerOutputs({ instanceStatus: this.instanceStatus });
    }
}

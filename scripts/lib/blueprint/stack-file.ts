/** A stack's settings read straight from its stack file, for commands that need no secret value (npm run blueprint). */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { securePaths } from "../../../infra/config/secret-paths";

export interface StackFileSettings {
    readonly project: string;
    readonly file: string;
    /** Keys without the project namespace; every `{secure: …}` value replaced by a placeholder. */
    readonly raw: Record<string, unknown>;
    readonly secretPaths: Set<string>;
}

/** Long enough for qa's and prod's length rules; never read: a secret's value goes nowhere these commands write. */
const PLACEHOLDER = "gatehouse-placeholder-for-a-secret-never-read";

function placeholders(value: unknown): unknown {
    if (value === null || typeof value !== "object") return value;
    if ("secure" in value) return PLACEHOLDER;
    if (Array.isArray(value)) return value.map(placeholders);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, placeholders(v)]));
}

/** `Pulumi.<stack>.yaml` beside Pulumi.yaml (or `configFile`), the project's name from Pulumi.yaml. */
export function readStackFileSettings(projectDir: string, stack: string, configFile?: string): StackFileSettings {
    const project = (parse(readFileSync(join(projectDir, "Pulumi.yaml"), "utf8")) as { name: string }).name;
    const file = configFile ?? join(projectDir, `Pulumi.${stack}.yaml`);
    if (!existsSync(file)) throw new Error(`no stack file ${file} (give --config-file for a stack whose settings live elsewhere)`);
    const config = ((parse(readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null)?.config ?? {}) as Record<string, unknown>;
    const raw: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(config)) if (key.startsWith(`${project}:`)) raw[key.slice(project.length + 1)] = placeholders(value);
    const secretPaths = securePaths(config, project);
    // The secrets a stack needs are not in a fresh clone's stack file (they are set with --secret): stand-ins too.
    for (const [section, key] of [["postgres", "adminPassword"], ["authentik", "token"]] as const) {
        const bag = raw[section];
        if (bag === null || typeof bag !== "object" || Array.isArray(bag) || (bag as Record<string, unknown>)[key] !== undefined) continue;
        raw[section] = { ...(bag as Record<string, unknown>), [key]: PLACEHOLDER };
        secretPaths.add(`${section}.${key}`);
    }
    return { project, file, raw, secretPaths };
}

/**
 * A stack as the audit reads it: its config from `pulumi config --json --show-secrets` (through PulumiStack.attach),
 * parsed with the same schema and context as `pulumi up`, and its state with secrets for ages and values.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { parseStackConfig } from "../../../infra/config/parse";
import { envFileGitStatus, readOtherStacks } from "../../../infra/config/project-files";
import type { StackConfig } from "../../../infra/config/schema";
import { allPaths, securePaths } from "../../../infra/config/secret-paths";
import type { PulumiStack } from "../pulumi-cli";
import { urnName, type ExportedResource } from "../state";

type ConfigEntry = { value?: string; objectValue?: unknown; secret?: boolean };

/** The project's settings from `pulumi config --json --show-secrets` (keys without the namespace) and which keys are secret. */
export async function readRawConfig(stack: PulumiStack, project: string): Promise<{ raw: Record<string, unknown>; secretKeys: Set<string> }> {
    const entries = JSON.parse((await stack.ok("config", "--json", "--show-secrets")).stdout) as Record<string, ConfigEntry>;
    const raw: Record<string, unknown> = {};
    const secretKeys = new Set<string>();
    for (const [fullKey, entry] of Object.entries(entries)) {
        if (!fullKey.startsWith(`${project}:`)) continue;
        const key = fullKey.slice(project.length + 1);
        raw[key] = entry.objectValue ?? (key === "environment" ? entry.value : decode(entry.value));
        if (entry.secret) secretKeys.add(key);
    }
    return { raw, secretKeys };
}

function decode(value: string | undefined): unknown {
    if (value === undefined) return undefined;
    try {
        return JSON.parse(value);
    } catch {
        return value;
    }
}

/** Which settings are secret, leaf by leaf, from the stack file (as infra/config/load.ts reads them). */
function secretPathsOf(file: string, project: string, raw: Record<string, unknown>, secretKeys: ReadonlySet<string>): Set<string> {
    if (existsSync(file)) return securePaths((parse(readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null)?.config ?? {}, project);
    return new Set([...secretKeys].flatMap((key) => allPaths(key, raw[key])));
}

/** Parses the config exactly as the program does; throws ConfigError listing every bad key. */
export function parseForAudit(raw: Record<string, unknown>, stackName: string, project: string, projectDir: string, configFile: string, secretKeys: ReadonlySet<string>): StackConfig {
    const envFile = (raw.handoff as { envFile?: unknown } | undefined)?.envFile;
    return parseStackConfig(raw, {
        stack: stackName,
        secretPaths: secretPathsOf(configFile, project, raw, secretKeys),
        otherStacks: readOtherStacks(projectDir, stackName, project),
        envFileGit: envFileGitStatus(projectDir, typeof envFile === "string" ? envFile : undefined),
    });
}

export const RANDOM_PASSWORD = "random:index/randomPassword:RandomPassword";

/** The state's resources, secrets shown (values stay in memory). */
export async function readResources(stack: PulumiStack): Promise<(ExportedResource & { created?: string })[]> {
    const exported = JSON.parse(await stack.exportText(true)) as { deployment: { resources?: (ExportedResource & { created?: string })[] } };
    return exported.deployment.resources ?? [];
}

/** Every secret value: generated ones by their secret name, supplied ones by their setting. */
export function secretValues(resources: readonly ExportedResource[], raw: Record<string, unknown>): Map<string, string> {
    const found = new Map<string, string>();
    for (const r of resources) {
        const result = plainValue(r.outputs?.result);
        if (r.type !== RANDOM_PASSWORD || typeof result !== "string") continue;
        const name = urnName(r.urn);
        found.set(name.includes("-secrets-") ? name.slice(name.indexOf("-secrets-") + "-secrets-".length) : name, result);
    }
    const authentik = (raw.authentik ?? {}) as { token?: unknown; testUserPassword?: unknown; testUsers?: { password?: unknown }[] };
    const supplied: [string, unknown][] = [
        ["postgres.adminPassword", (raw.postgres as { adminPassword?: unknown } | undefined)?.adminPassword],
        ["authentik.token", authentik.token],
        ["authentik.testUserPassword", authentik.testUserPassword],
        ...(authentik.testUsers ?? []).map((u, i): [string, unknown] => [`authentik.testUsers[${i}].password`, u.password]),
    ];
    for (const [name, value] of supplied) if (typeof value === "string" && value !== "") found.set(name, value);
    return found;
}

/** A value of `pulumi stack export --show-secrets`: secrets come as `{<sig>: …, plaintext: "<JSON>"}`. */
export function plainValue(value: unknown): unknown {
    if (value !== null && typeof value === "object" && typeof (value as { plaintext?: unknown }).plaintext === "string") {
        return JSON.parse((value as { plaintext: string }).plaintext) as unknown;
    }
    return value;
}

export function stackFileOf(projectDir: string, stackName: string, configFile: string | undefined): string {
    return configFile ?? join(projectDir, `Pulumi.${stackName}.yaml`);
}

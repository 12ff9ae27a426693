/**
 * A stack as the audit reads it: its config from `pulumi config --json --show-secrets` (through PulumiStack.attach),
 * parsed by scripts/audit.ts with infra/config/in-project.ts as `pulumi up` parses it, and its state with secrets for
 * ages and values.
 */
import { join } from "node:path";
import { decodeSetting } from "../../../infra/config/in-project";
import { testUserPassword, usersWithGeneratedPasswords, type TestUserPasswordSettings } from "../../../infra/secrets/derive";
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
        raw[key] = entry.objectValue ?? (entry.value === undefined ? undefined : decodeSetting(key, entry.value));
        if (entry.secret) secretKeys.add(key);
    }
    return { raw, secretKeys };
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
    const authentik = (raw.authentik ?? {}) as TestUserPasswordSettings & { token?: unknown };
    // Test users' generated passwords are derived from the `test-user-passwords` key, as the program derives them.
    const key = found.get("test-user-passwords");
    if (key !== undefined) {
        for (const username of usersWithGeneratedPasswords(authentik)) found.set(`test-user-passwords (${username})`, testUserPassword(key, username));
    }
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

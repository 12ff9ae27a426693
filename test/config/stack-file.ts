import { readFileSync } from "node:fs";
import { parse } from "yaml";

export interface RawStackConfig {
    raw: Record<string, unknown>;
    secretKeys: Set<string>;
}

function hasSecure(value: unknown): boolean {
    if (value === null || typeof value !== "object") return false;
    if ("secure" in value) return true;
    return Object.values(value).some(hasSecure);
}

/** `{secure: …}` leaves stand in for decrypted secrets in tests. */
function stripSecure(value: unknown): unknown {
    if (value === null || typeof value !== "object") return value;
    if ("secure" in value) return "decrypted-secret";
    if (Array.isArray(value)) return value.map(stripSecure);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stripSecure(v)]));
}

/**
 * Reads a Pulumi.<stack>.yaml as the runtime would present it to the program:
 * keys without the project namespace, and the top-level keys that hold a secret anywhere inside.
 */
export function readStackFile(path: string, project = "gatehouse"): RawStackConfig {
    const doc = parse(readFileSync(path, "utf8")) as { config?: Record<string, unknown> };
    const raw: Record<string, unknown> = {};
    const secretKeys = new Set<string>();
    for (const [fullKey, value] of Object.entries(doc.config ?? {})) {
        if (!fullKey.startsWith(`${project}:`)) continue;
        const key = fullKey.slice(project.length + 1);
        raw[key] = stripSecure(value);
        if (hasSecure(value)) secretKeys.add(key);
    }
    return { raw, secretKeys };
}

/** The stack as it is after `pulumi config set --secret --path` of the two required secrets. */
export function withRequiredSecrets({ raw, secretKeys }: RawStackConfig): RawStackConfig {
    const postgres = { ...(raw.postgres as object), adminPassword: "pg-admin-secret" };
    const authentik = { ...(raw.authentik as object), token: "authentik-token-secret" };
    return { raw: { ...raw, postgres, authentik }, secretKeys: new Set([...secretKeys, "postgres", "authentik"]) };
}

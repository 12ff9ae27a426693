import { readFileSync } from "node:fs";
import { expect } from "vitest";
import { parse } from "yaml";
import { ConfigError, parseStackConfig } from "../../infra/config/parse";
import type { ConfigContext } from "../../infra/config/schema";

import { securePaths } from "../../infra/config/secret-paths";

export interface RawStackConfig {
    raw: Record<string, unknown>;
    /** `--path` names of the settings set with `--secret`. */
    secretPaths: Set<string>;
}

/** `{secure: …}` leaves stand in for decrypted secrets in tests. */
function stripSecure(value: unknown): unknown {
    if (value === null || typeof value !== "object") return value;
    if ("secure" in value) return "decrypted-secret";
    if (Array.isArray(value)) return value.map(stripSecure);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stripSecure(v)]));
}

/**
 * Reads a Pulumi.<stack>.yaml as the program sees it: keys without the project namespace, and which settings are
 * secret (as infra/config/load.ts reads them from the same file).
 */
export function readStackFile(path: string, project = "gatehouse"): RawStackConfig {
    const doc = parse(readFileSync(path, "utf8")) as { config?: Record<string, unknown> };
    const raw: Record<string, unknown> = {};
    for (const [fullKey, value] of Object.entries(doc.config ?? {})) {
        if (fullKey.startsWith(`${project}:`)) raw[fullKey.slice(project.length + 1)] = stripSecure(value);
    }
    return { raw, secretPaths: securePaths(doc.config ?? {}, project) };
}

/** The stack as it is after `pulumi config set --secret --path` of the two required secrets. */
export function withRequiredSecrets({ raw, secretPaths }: RawStackConfig): RawStackConfig {
    const postgres = { ...(raw.postgres as object), adminPassword: "pg-admin-secret-of-at-least-32-characters" };
    const authentik = { ...(raw.authentik as object), token: "authentik-token-secret-of-at-least-32-characters" };
    return { raw: { ...raw, postgres, authentik }, secretPaths: new Set([...secretPaths, "postgres.adminPassword", "authentik.token"]) };
}

/** Parses a stack file's settings as the program does for `stack`. */
export function parseRaw(stack: string, cfg: RawStackConfig, extra: Partial<ConfigContext> = {}) {
    return parseStackConfig(cfg.raw, { stack, secretPaths: cfg.secretPaths, ...extra });
}

/** The message a stack file is refused with; fails the test when it is accepted or fails otherwise. */
export function errorOf(stack: string, cfg: RawStackConfig, extra: Partial<ConfigContext> = {}): string {
    try {
        parseRaw(stack, cfg, extra);
    } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as ConfigError).message;
    }
    throw new Error("expected the configuration to be rejected");
}

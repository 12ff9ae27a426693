import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { CONFIG_FILE_ENV } from "./constants";
import { parseStackConfig } from "./parse";
import { envFileGitStatus, readOtherStacks } from "./project-files";
import { allPaths, securePaths } from "./secret-paths";
import type { StackConfig } from "./schema";

// Public in the runtime module but missing from its type declarations (it backs Config.getSecret's warnings).
const { isConfigSecret } = require("@pulumi/pulumi/runtime/config") as { isConfigSecret(key: string): boolean };

/** Pulumi hands every setting over as a string; objects, lists, numbers and booleans arrive JSON-encoded. */
function decode(value: string): unknown {
    try {
        return JSON.parse(value);
    } catch {
        return value;
    }
}

/**
 * Which settings were set with `--secret`, leaf by leaf, from the stack file (`$GATEHOUSE_CONFIG_FILE`, else
 * Pulumi.<stack>.yaml beside Pulumi.yaml; the program itself runs in stacks/). Without one, every setting under a secret top-level key counts as
 * secret: all Pulumi tells the program.
 */
function secretPathsOf(stack: string, project: string, raw: Record<string, unknown>, secretKeys: ReadonlySet<string>): Set<string> {
    const file = process.env[CONFIG_FILE_ENV] || join(pulumi.runtime.getRootDirectory(), `Pulumi.${stack}.yaml`);
    if (existsSync(file)) {
        const doc = parse(readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null;
        return securePaths(doc?.config ?? {}, project);
    }
    return new Set([...secretKeys].flatMap((key) => allPaths(key, raw[key])));
}

/**
 * Reads this stack's settings from the Pulumi runtime and validates them.
 * Called once by `stacks/`, before any resource is declared; components only ever see the result.
 */
export function loadStackConfig(): StackConfig {
    const project = pulumi.getProject();
    const prefix = `${project}:`;
    const raw: Record<string, unknown> = {};
    const secretKeys = new Set<string>();
    for (const [fullKey, value] of Object.entries(pulumi.runtime.allConfig())) {
        if (!fullKey.startsWith(prefix)) continue;
        const key = fullKey.slice(prefix.length);
        // `environment` stays a string even when it looks like JSON.
        raw[key] = key === "environment" ? value : decode(value);
        if (isConfigSecret(fullKey)) secretKeys.add(key);
    }
    const stack = pulumi.getStack();
    const root = pulumi.runtime.getRootDirectory();
    const envFile = (raw.handoff as { envFile?: unknown } | undefined)?.envFile;
    return parseStackConfig(raw, {
        stack,
        secretPaths: secretPathsOf(stack, project, raw, secretKeys),
        otherStacks: readOtherStacks(root, stack, project),
        envFileGit: envFileGitStatus(root, typeof envFile === "string" ? envFile : undefined),
    });
}

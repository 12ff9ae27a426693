import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_FILE_ENV } from "./constants";
import { decodeSetting, parseInProject } from "./in-project";
import type { StackConfig } from "./schema";

// Public in the runtime module but missing from its type declarations (it backs Config.getSecret's warnings).
const { isConfigSecret } = require("@pulumi/pulumi/runtime/config") as { isConfigSecret(key: string): boolean };

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
        raw[key] = decodeSetting(key, value);
        if (isConfigSecret(fullKey)) secretKeys.add(key);
    }
    const stack = pulumi.getStack();
    // The program itself runs in stacks/; its root is where Pulumi.yaml is.
    const projectDir = pulumi.runtime.getRootDirectory();
    const configFile = process.env[CONFIG_FILE_ENV] || join(projectDir, `Pulumi.${stack}.yaml`);
    return parseInProject(raw, { stack, project, projectDir, configFile, secretKeys });
}

import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig } from "./parse";
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
    return parseStackConfig(raw, { stack: pulumi.getStack(), secretKeys });
}

import { ENVIRONMENTS } from "./constants";
import { runtimeServices } from "./docker";
import { configErrorMessage } from "./messages";
import { formatConfigError } from "./format";
import { stackConfigSchema, type ConfigContext, type StackConfig } from "./schema";

/** Thrown when a stack's settings are invalid; `message` lists every bad key. */
export class ConfigError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ConfigError";
    }
}

/**
 * Validates raw settings (keys without the project namespace, values already JSON-decoded).
 * Pure: no Pulumi runtime needed, so fixtures can be tested directly.
 */
export function parseStackConfig(raw: Readonly<Record<string, unknown>>, ctx: ConfigContext): StackConfig {
    const result = stackConfigSchema({ ...ctx, runtimeAuthentik: runtimeServices(withEnvironment(raw, ctx.stack)).authentik }).safeParse(raw, { error: configErrorMessage });
    if (!result.success) throw new ConfigError(formatConfigError(ctx.stack, result.error));
    return result.data;
}

/** A stack named after an environment is that environment when the settings do not say (as the schema reads it). */
function withEnvironment(raw: Readonly<Record<string, unknown>>, stack: string): Record<string, unknown> {
    return raw.environment === undefined && (ENVIRONMENTS as readonly string[]).includes(stack) ? { ...raw, environment: stack } : { ...raw };
}

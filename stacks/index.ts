import * as pulumi from "@pulumi/pulumi";
import { runtimeServices } from "../infra/config/docker";
import { loadStackConfig } from "../infra/config/load";
import { ConfigError } from "../infra/config/parse";
import type { StackConfig } from "../infra/config/schema";
import { checkPostgres, PreflightError } from "../infra/postgres/preflight";
import { buildStack, declareDynamicProvider } from "./build";

// Config is validated before any resource is declared: a bad stack file applies nothing.
function config(): StackConfig {
    try {
        return loadStackConfig();
    } catch (error) {
        // RunError: Pulumi prints the message alone, without a stack trace.
        if (error instanceof ConfigError) throw new pulumi.RunError(error.message);
        throw error;
    }
}

/**
 * The admin connection must work before any resource is declared (the dynamic provider, which touches nothing, aside);
 * the message is Gatehouse's, not a provider's.
 */
async function preflight(cfg: StackConfig): Promise<void> {
    // The runtime's PostgreSQL starts in this very update: there is nothing to connect to yet.
    if (runtimeServices(cfg).postgres) return;
    const password = await new Promise<string>((resolve) => cfg.postgres.adminPassword.apply(resolve));
    const { host, port, adminUser: user, adminDatabase: database, sslMode } = cfg.postgres;
    try {
        await checkPostgres({ host, port, user, password, database, sslMode });
    } catch (error) {
        if (error instanceof PreflightError) {
            const runError = new pulumi.RunError(error.message);
            // Pulumi prints a RunError's message only; its stack would make Node ≥ 20.19.6 spend ~20 s colouring the
            // SDK's mis-mapped frames (nodejs/node#64011) before the message reaches the engine.
            delete runError.stack;
            throw runError;
        }
        throw error;
    }
}

const cfg = config();

export = async () => {
    // The dynamic resources' provider first, so that its process starts during the check (see declareDynamicProvider).
    const dynamic = declareDynamicProvider(cfg);
    await preflight(cfg);
    const { envFile, ...outputs } = buildStack(cfg, dynamic);
    // A stack without an env file has no `envFile` output at all (an undefined export would warn on every run).
    return envFile === undefined ? outputs : { ...outputs, envFile };
};

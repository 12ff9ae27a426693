/** The local docker runtime's part of the program (infra/runtime/): declared only when it runs something. */
import type * as pulumi from "@pulumi/pulumi";
import type { AuthentikConnection } from "../infra/authentik";
import { runtimeRunsAnything, runtimeServices, type RuntimeServices } from "../infra/config/docker";
import type { StackConfig } from "../infra/config/schema";
import type { GatehousePostgres } from "../infra/postgres/component";
import { appRuntimeArgs, authentikRuntimeArgs, GatehouseRuntime, RuntimeApp, RuntimeAuthentik, runtimeArgs, runtimeIdentity } from "../infra/runtime";
import type { GatehouseSecrets } from "../infra/secrets/secrets";

export interface StackRuntime {
    readonly services: RuntimeServices;
    readonly base?: GatehouseRuntime;
    /** What GatehousePostgres waits for (the runtime's PostgreSQL container). */
    readonly postgresReady: pulumi.Resource[];
}

export function startRuntime(name: string, config: StackConfig, opts?: pulumi.ComponentResourceOptions): StackRuntime {
    const services = runtimeServices(config);
    if (!runtimeRunsAnything(services)) return { services, postgresReady: [] };
    const base = new GatehouseRuntime(`${name}-runtime`, runtimeArgs(config, services, runtimeIdentity()), opts);
    return { services, base, postgresReady: base.postgresReady };
}

/** The runtime's Authentik, and how the Authentik components reach it; undefined when Authentik is not the runtime's. */
export function startAuthentik(name: string, config: StackConfig, runtime: StackRuntime, postgres: GatehousePostgres, secrets: GatehouseSecrets, opts?: pulumi.ComponentResourceOptions): AuthentikConnection | undefined {
    if (!runtime.services.authentik || runtime.base === undefined || secrets.authentikBootstrapPassword === undefined) return undefined;
    const authentik = new RuntimeAuthentik(
        `${name}-runtime-authentik`,
        authentikRuntimeArgs(config, runtime.services, runtimeIdentity(), {
            network: runtime.base.networkName,
            database: postgres.authentik,
            secretKey: secrets.authentikSecretKey,
            bootstrapToken: secrets.authentikBootstrapToken,
            bootstrapPassword: secrets.authentikBootstrapPassword,
        }),
        opts,
    );
    return { url: authentik.url, token: authentik.token, brandFilesMounted: true };
}

export function startApp(name: string, config: StackConfig, runtime: StackRuntime, appEnv: Readonly<Record<string, pulumi.Output<string>>>, opts?: pulumi.ComponentResourceOptions): void {
    if (!runtime.services.app || runtime.base === undefined) return;
    new RuntimeApp(`${name}-runtime-app`, appRuntimeArgs(config, runtime.services, runtimeIdentity(), runtime.base.networkName, appEnv), opts);
}

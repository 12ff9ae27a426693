/** The runtime components' args from the stack config (as infra/authentik/args.ts does for Authentik's). */
import { resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { BRANDING_DIR } from "../authentik/branding";
import { readBrand } from "../authentik/objects";
import { isLoopback, type RuntimeServices } from "../config/docker";
import type { StackConfig } from "../config/schema";
import type { AuthentikDatabaseSettings } from "../postgres/component";
import type { RuntimeAppArgs } from "./app";
import type { MountedBrandFile, RuntimeAuthentikArgs } from "./authentik";
import type { GatehouseRuntimeArgs } from "./component";
import { POSTGRES_ALIAS, POSTGRES_PORT } from "./containers";
import { inNetworkUrl, type ContainerEnv } from "./env";

/** The project and stack the containers, volumes and the network are named after. */
export interface RuntimeIdentity {
    readonly project: string;
    readonly stack: string;
}

export function runtimeIdentity(): RuntimeIdentity {
    return { project: pulumi.getProject(), stack: pulumi.getStack() };
}

export function runtimeArgs(config: StackConfig, services: RuntimeServices, id: RuntimeIdentity): GatehouseRuntimeArgs {
    const { docker, postgres } = config;
    return {
        ...id,
        ...(docker.network !== undefined && { network: docker.network }),
        bindAddress: docker.bindAddress,
        ...(services.postgres && {
            postgres: {
                image: docker.images.postgres,
                hostPort: docker.ports.postgres,
                user: postgres.adminUser,
                password: postgres.adminPassword,
                database: postgres.adminDatabase,
                retainData: config.stateful.retainOnDelete,
            },
        }),
    };
}

/** The brand's files from branding/ that the runtime mounts into media storage, by the name the brand uses. */
export function mountedBrandFiles(config: StackConfig, dir = BRANDING_DIR): MountedBrandFile[] {
    const brand = config.authentik.brand;
    if (brand === undefined) return [];
    const files = readBrand(brand, dir, config.names.groupPrefix);
    const mounted: MountedBrandFile[] = [];
    for (const what of ["logo", "favicon"] as const) {
        const asset = files[what];
        const setting = brand[what];
        if (asset?.kind === "file" && setting !== undefined) mounted.push({ name: asset.name, source: resolve(dir, setting) });
    }
    return mounted;
}

export interface AuthentikRuntimeSources {
    readonly network: pulumi.Input<string>;
    /** GatehousePostgres.authentik: Authentik's database, role and password. */
    readonly database: AuthentikDatabaseSettings;
    readonly secretKey: pulumi.Input<string>;
    readonly bootstrapToken: pulumi.Input<string>;
    readonly bootstrapPassword: pulumi.Input<string>;
}

export function authentikRuntimeArgs(config: StackConfig, services: RuntimeServices, id: RuntimeIdentity, src: AuthentikRuntimeSources): RuntimeAuthentikArgs {
    const { docker, postgres } = config;
    // The runtime's PostgreSQL by its network alias; an external one on the host's loopback through the host gateway.
    const onHost = !services.postgres && isLoopback(postgres.host);
    const host = services.postgres ? POSTGRES_ALIAS : onHost ? "host.docker.internal" : postgres.host;
    return {
        ...id,
        network: src.network,
        image: docker.images.authentik,
        bindAddress: docker.bindAddress,
        hostPort: docker.ports.authentik,
        url: config.authentik.url,
        database: {
            host,
            port: String(services.postgres ? POSTGRES_PORT : postgres.port),
            name: src.database.AUTHENTIK_POSTGRESQL__NAME,
            user: src.database.AUTHENTIK_POSTGRESQL__USER,
            password: src.database.AUTHENTIK_POSTGRESQL__PASSWORD,
            sslMode: postgres.sslMode,
        },
        secretKey: src.secretKey,
        bootstrapToken: src.bootstrapToken,
        bootstrapPassword: src.bootstrapPassword,
        brandFiles: mountedBrandFiles(config),
        hostGateway: onHost,
        retainData: config.stateful.retainOnDelete,
    };
}

/** The app's container: its hand-off environment, with the database URLs as the network reaches PostgreSQL. */
export function appRuntimeArgs(config: StackConfig, services: RuntimeServices, id: RuntimeIdentity, network: pulumi.Input<string>, appEnv: ContainerEnv): RuntimeAppArgs {
    const app = config.docker.app;
    if (app === undefined) throw new Error("docker.app is not set");
    const env: Record<string, pulumi.Input<string>> = { ...appEnv };
    if (services.postgres) {
        for (const name of ["DATABASE_URL", "DATABASE_URL_APP"]) {
            const value = appEnv[name];
            if (value !== undefined) env[name] = inNetworkUrl(value, POSTGRES_ALIAS, POSTGRES_PORT);
        }
    }
    const publicPort = new URL(config.app.publicUrl).port;
    return { ...id, network, image: app.image, port: app.port ?? (publicPort === "" ? 80 : Number(publicPort)), bindAddress: config.docker.bindAddress, env };
}

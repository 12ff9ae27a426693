import * as pulumi from "@pulumi/pulumi";

/** Environment variables of a container, credentials among them. */
export type ContainerEnv = Readonly<Record<string, pulumi.Input<string>>>;

/**
 * `NAME=value` lines as docker takes them, as one Pulumi secret: a container's `envs` carries passwords and keys, so
 * the whole list is secret in state (inputs, and outputs through additionalSecretOutputs), never a plain value.
 */
export function secretEnvs(env: ContainerEnv): pulumi.Output<string[]> {
    const entries = Object.entries(env).sort(([a], [b]) => a.localeCompare(b));
    return pulumi.secret(pulumi.all(entries.map(([name, value]) => pulumi.output(value).apply((v) => `${name}=${v}`))));
}

/** Where Authentik's containers reach PostgreSQL. */
export interface AuthentikDatabase {
    readonly host: pulumi.Input<string>;
    readonly port: pulumi.Input<string>;
    readonly name: pulumi.Input<string>;
    readonly user: pulumi.Input<string>;
    /** Secret. */
    readonly password: pulumi.Input<string>;
    readonly sslMode: string;
}

export interface AuthentikEnvSources {
    readonly database: AuthentikDatabase;
    /** Secret. */
    readonly secretKey: pulumi.Input<string>;
}

/** What both of Authentik's containers read (authentik 2026.8 needs no Redis: no AUTHENTIK_REDIS__*). */
export function authentikEnv(src: AuthentikEnvSources): ContainerEnv {
    return {
        AUTHENTIK_SECRET_KEY: src.secretKey,
        AUTHENTIK_POSTGRESQL__HOST: src.database.host,
        AUTHENTIK_POSTGRESQL__PORT: src.database.port,
        AUTHENTIK_POSTGRESQL__NAME: src.database.name,
        AUTHENTIK_POSTGRESQL__USER: src.database.user,
        AUTHENTIK_POSTGRESQL__PASSWORD: src.database.password,
        AUTHENTIK_POSTGRESQL__SSLMODE: src.database.sslMode,
        AUTHENTIK_ERROR_REPORTING__ENABLED: "false",
    };
}

/** What only the worker reads, on authentik's first start (docs: automated install, "on the worker container"). */
export function bootstrapEnv(token: pulumi.Input<string>, password: pulumi.Input<string>): ContainerEnv {
    return { AUTHENTIK_BOOTSTRAP_TOKEN: token, AUTHENTIK_BOOTSTRAP_PASSWORD: password };
}

/**
 * A database URL as a container on the runtime's network reaches it: the host and port the engine used (the
 * published loopback port) replaced by the network alias.
 */
export function inNetworkUrl(url: pulumi.Input<string>, host: string, port: number): pulumi.Output<string> {
    return pulumi.secret(
        pulumi.output(url).apply((value) => {
            const parsed = new URL(value);
            parsed.hostname = host;
            parsed.port = String(port);
            return parsed.toString();
        }),
    );
}

import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import {
    AUTHENTIK_HTTP_PORT,
    AUTHENTIK_USER,
    authentikHealthcheck,
    BLUEPRINTS_DIR,
    BLUEPRINTS_MOUNT,
    containerOptions,
    dockerName,
    labels,
    MEDIA_ROOT,
    published,
    readOnlyBind,
    volumeMount,
} from "./containers";
import { authentikEnv, bootstrapEnv, secretEnvs, type AuthentikDatabase } from "./env";
import { AuthentikReady } from "./ready";

/** A file of `branding/` and the media-file name the brand refers to it by. */
export interface MountedBrandFile {
    readonly name: string;
    /** Absolute host path. */
    readonly source: string;
}

export interface RuntimeAuthentikArgs {
    readonly project: string;
    readonly stack: string;
    readonly network: pulumi.Input<string>;
    /** Pinned image (`docker.images.authentik`, default ghcr.io/goauthentik/server:2026.8.3). */
    readonly image: string;
    readonly bindAddress: string;
    /** Host port of the HTTP listener (`docker.ports.authentik`). */
    readonly hostPort: number;
    /** `authentik.url`: where the engine reaches the published port. */
    readonly url: string;
    readonly database: AuthentikDatabase;
    /** Secrets (GatehouseSecrets). */
    readonly secretKey: pulumi.Input<string>;
    readonly bootstrapToken: pulumi.Input<string>;
    readonly bootstrapPassword: pulumi.Input<string>;
    /** Host directory mounted where authentik discovers blueprints. Default: the repository's blueprints/. */
    readonly blueprintsDir?: string;
    /** Brand files mounted into authentik's media storage under the names the brand uses. */
    readonly brandFiles?: readonly MountedBrandFile[];
    /** `host.docker.internal` for a PostgreSQL on the host's loopback (an external one at localhost). */
    readonly hostGateway?: boolean;
    /** Keep the data volume when the stack lets go of it. */
    readonly retainData: boolean;
    /** How long `pulumi up` waits for the API. Default 900 s. */
    readonly readyDeadlineSeconds?: number;
}

/**
 * authentik 2026.8.3 in the local runtime: a worker and a server from one pinned image (no Redis since 2025.10: the
 * compose file of 2026.8 has none), each with its own `ak healthcheck`, non-root, the stack's secrets in a secret
 * environment, blueprints/ at /blueprints/custom and the brand's files in media storage, the server on a loopback
 * port; then `AuthentikReady`, whose `url` the Authentik resources take, so they run once the API answers.
 */
export class RuntimeAuthentik extends pulumi.ComponentResource {
    /** Resolves once the API answers with the bootstrap token. */
    readonly url: pulumi.Output<string>;
    /** The bootstrap token the Authentik resources use (secret). */
    readonly token: pulumi.Output<string>;

    constructor(name: string, args: RuntimeAuthentikArgs, opts?: pulumi.ComponentResourceOptions) {
        super("gatehouse:runtime:RuntimeAuthentik", name, {}, opts);
        const image = new docker.RemoteImage(`${name}-image`, { name: args.image, keepLocally: true }, { parent: this });
        const data = new docker.Volume(`${name}-data`, { name: dockerName(args.project, args.stack, "authentik-data"), labels: labels(args.project, args.stack) }, { parent: this, retainOnDelete: args.retainData });
        const env = authentikEnv({ database: args.database, secretKey: args.secretKey });
        const mounts = [
            volumeMount(data.name, "/data"),
            readOnlyBind(args.blueprintsDir ?? BLUEPRINTS_DIR, BLUEPRINTS_MOUNT),
            ...(args.brandFiles ?? []).map((file) => readOnlyBind(file.source, `${MEDIA_ROOT}/${file.name}`)),
        ];
        const common = (command: string): docker.ContainerArgs => ({
            name: dockerName(args.project, args.stack, `authentik-${command}`),
            image: image.imageId,
            command: [command],
            user: AUTHENTIK_USER,
            mounts,
            networksAdvanced: [{ name: args.network, aliases: [`authentik-${command}`] }],
            ...(args.hostGateway === true && { hosts: [{ host: "host.docker.internal", ip: "host-gateway" }] }),
            healthcheck: authentikHealthcheck(),
            // A first start runs every migration before the health check passes.
            wait: true,
            waitTimeout: 900,
            restart: "unless-stopped",
            shmSize: 512,
            labels: labels(args.project, args.stack),
        });
        // The worker applies the bootstrap blueprint (token, akadmin's password) and the mounted blueprints.
        const worker = new docker.Container(`${name}-worker`, { ...common("worker"), envs: secretEnvs({ ...env, ...bootstrapEnv(args.bootstrapToken, args.bootstrapPassword) }) }, containerOptions(this));
        const server = new docker.Container(
            `${name}-server`,
            { ...common("server"), envs: secretEnvs(env), ports: [published(AUTHENTIK_HTTP_PORT, args.hostPort, args.bindAddress)] },
            containerOptions(this),
        );
        const ready = new AuthentikReady(
            `${name}-ready`,
            { url: args.url, token: args.bootstrapToken, bootstrapPassword: args.bootstrapPassword, after: [worker.id, server.id], deadlineSeconds: args.readyDeadlineSeconds ?? 900 },
            { parent: this },
        );
        this.url = ready.url;
        this.token = pulumi.secret(pulumi.output(args.bootstrapToken));
        this.registerOutputs({ url: this.url });
    }
}

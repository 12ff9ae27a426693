import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { containerOptions, dockerName, labels, POSTGRES_ALIAS, POSTGRES_DATA, POSTGRES_PORT, POSTGRES_USER, postgresHealthcheck, published, volumeMount } from "./containers";
import { secretEnvs } from "./env";

export interface RuntimePostgresSettings {
    /** Pinned image (`docker.images.postgres`). */
    readonly image: string;
    /** Host port (`docker.ports.postgres`), where the engine's PostgreSQL provider connects. */
    readonly hostPort: number;
    /** The superuser (`postgres.adminUser`) and its password (`postgres.adminPassword`, a secret). */
    readonly user: string;
    readonly password: pulumi.Input<string>;
    /** Database the superuser connects to (`postgres.adminDatabase`). */
    readonly database: string;
    /** Keep the data volume when the stack lets go of it (`config.stateful.retainOnDelete`). */
    readonly retainData: boolean;
}

export interface GatehouseRuntimeArgs {
    readonly project: string;
    readonly stack: string;
    /** Docker network name (`docker.network`, default `gatehouse-<stack>`). */
    readonly network?: string;
    /** Host address of published ports (`docker.bindAddress`, default loopback). */
    readonly bindAddress: string;
    /** Run PostgreSQL 18 with a named volume; omitted: the stack's PostgreSQL is external. */
    readonly postgres?: RuntimePostgresSettings;
}

/**
 * The local docker runtime's base (dev and test): its network, and PostgreSQL when the stack points at the
 * runtime's. Authentik (RuntimeAuthentik) and the app (RuntimeApp) join the network. Tested with Pulumi mocks only.
 */
export class GatehouseRuntime extends pulumi.ComponentResource {
    readonly networkName: pulumi.Output<string>;
    /** What must be up before the engine connects to PostgreSQL (empty with an external one). */
    readonly postgresReady: pulumi.Resource[];

    constructor(name: string, args: GatehouseRuntimeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("gatehouse:runtime:GatehouseRuntime", name, {}, opts);
        const network = new docker.Network(`${name}-network`, { name: args.network ?? `gatehouse-${args.stack}`, driver: "bridge", labels: labels(args.project, args.stack) }, { parent: this });
        this.networkName = network.name;
        this.postgresReady = [];
        if (args.postgres !== undefined) {
            const pg = args.postgres;
            const image = new docker.RemoteImage(`${name}-postgres-image`, { name: pg.image, keepLocally: true }, { parent: this });
            const volume = new docker.Volume(`${name}-postgres-data`, { name: dockerName(args.project, args.stack, "postgres-data"), labels: labels(args.project, args.stack) }, { parent: this, retainOnDelete: pg.retainData });
            const container = new docker.Container(
                `${name}-postgres`,
                {
                    name: dockerName(args.project, args.stack, POSTGRES_ALIAS),
                    image: image.imageId,
                    user: POSTGRES_USER,
                    envs: secretEnvs({ POSTGRES_USER: pg.user, POSTGRES_PASSWORD: pg.password, POSTGRES_DB: pg.database }),
                    mounts: [volumeMount(volume.name, POSTGRES_DATA)],
                    networksAdvanced: [{ name: network.name, aliases: [POSTGRES_ALIAS] }],
                    ports: [published(POSTGRES_PORT, pg.hostPort, args.bindAddress)],
                    healthcheck: postgresHealthcheck(pg.user, pg.database),
                    // `pulumi up` goes on once PostgreSQL is healthy: the engine's provider connects right after.
                    wait: true,
                    waitTimeout: 120,
                    restart: "unless-stopped",
                    labels: labels(args.project, args.stack),
                },
                containerOptions(this),
            );
            this.postgresReady.push(container);
        }
        this.registerOutputs({ networkName: this.networkName });
    }
}

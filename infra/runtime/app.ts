import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { containerOptions, dockerName, labels, published } from "./containers";
import { secretEnvs, type ContainerEnv } from "./env";

export interface RuntimeAppArgs {
    readonly project: string;
    readonly stack: string;
    readonly network: pulumi.Input<string>;
    /** Pinned image (`docker.app.image`). */
    readonly image: string;
    /** The port the app listens on, published on the same host port. */
    readonly port: number;
    readonly bindAddress: string;
    /** The app's environment (`appEnv`, database URLs rewritten to the network's PostgreSQL); secret as a whole. */
    readonly env: ContainerEnv;
}

/** The app's own container in the local runtime, given Gatehouse's hand-off as its environment. */
export class RuntimeApp extends pulumi.ComponentResource {
    readonly containerName: pulumi.Output<string>;

    constructor(name: string, args: RuntimeAppArgs, opts?: pulumi.ComponentResourceOptions) {
        super("gatehouse:runtime:RuntimeApp", name, {}, opts);
        const image = new docker.RemoteImage(`${name}-image`, { name: args.image, keepLocally: true }, { parent: this });
        const container = new docker.Container(
            `${name}-container`,
            {
                name: dockerName(args.project, args.stack, "app"),
                image: image.imageId,
                envs: secretEnvs(args.env),
                networksAdvanced: [{ name: args.network, aliases: ["app"] }],
                ports: [published(args.port, args.port, args.bindAddress)],
                restart: "unless-stopped",
                labels: labels(args.project, args.stack),
            },
            containerOptions(this),
        );
        this.containerName = container.name;
        this.registerOutputs({ containerName: this.containerName });
    }
}

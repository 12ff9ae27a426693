import * as pulumi from "@pulumi/pulumi";
import { renderDotenv } from "./dotenv";
import { EnvFile } from "./env-file";

export interface GatehouseHandoffArgs {
    readonly environment: string;
    /** The app's environment; secret values stay secret. */
    readonly appEnv: Readonly<Record<string, pulumi.Output<string>>>;
    /** Write the environment to this file (mode 0600), relative to the project directory. */
    readonly envFile?: string;
}

/**
 * Hands the app its configuration: the whole environment as one secret output (for StackReference and
 * `pulumi stack output --show-secrets appEnv`) and, optionally, as a `.env.<env>` file that follows every update.
 */
export class GatehouseHandoff extends pulumi.ComponentResource {
    /** The environment as one secret map. */
    readonly appEnv: pulumi.Output<Record<string, string>>;
    readonly envFilePath?: pulumi.Output<string>;

    constructor(name: string, args: GatehouseHandoffArgs, opts?: pulumi.ComponentResourceOptions) {
        super("gatehouse:handoff:GatehouseHandoff", name, {}, opts);
        this.appEnv = pulumi.secret(pulumi.output(args.appEnv));
        if (args.envFile) {
            const contents = this.appEnv.apply((vars) => renderDotenv(vars, `Written by Gatehouse for ${args.environment}; do not edit or commit.`));
            // Under unit-test mocks there is no root directory; the program's cwd stands in.
            const root = pulumi.getRootDirectory() || process.cwd();
            this.envFilePath = new EnvFile(`${name}-env-file`, { path: args.envFile, root, contents }, { parent: this }).path;
        }
        this.registerOutputs({ appEnv: this.appEnv });
    }
}

import * as pulumi from "@pulumi/pulumi";
import { CONFIG_KEY } from "../authentik/core/connection";

/** What the stack's dynamic resources read in `configure`. */
export interface DynamicProviderArgs {
    /** The stack's `authentik.token`; absent when the local runtime's bootstrap token is used. */
    readonly authentikToken?: pulumi.Input<string>;
}

/**
 * The provider of every dynamic resource in the stack (`pulumi-nodejs`), declared instead of left to the engine.
 *
 * The engine configures the default dynamic provider with the stack's whole configuration (every key, so that
 * `configure` can offer it as `pulumi.Config`) and keeps that copy in the state, which a file backend rewrites after
 * every step: at 1,000 seeded test users the copy is about 330 kB (the users' list), written some 2,000 times in
 * one `up`. Gatehouse's providers read one thing in `configure`, the stack's Authentik token (core/connection.ts),
 * so this provider is configured with that alone, in the same shape (`<project>:authentik`, `{"token": …}`), a
 * secret. A stack whose resources the default provider created moves to this one without a replacement: the
 * dynamic provider implements no DiffConfig, which the engine reads as "no replacement needed".
 */
export class DynamicProvider extends pulumi.ProviderResource {
    constructor(name: string, args: DynamicProviderArgs, opts?: pulumi.ResourceOptions) {
        const token = args.authentikToken;
        const config: pulumi.Inputs =
            token === undefined ? {} : { [`${pulumi.getProject()}:${CONFIG_KEY}`]: pulumi.secret(pulumi.output(token).apply((t) => JSON.stringify({ token: t }))) };
        super("pulumi-nodejs", name, config, opts);
    }
}

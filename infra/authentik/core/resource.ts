import * as pulumi from "@pulumi/pulumi";
import { OWNER_ATTRIBUTE, type Attributes } from "./compare";

/** Inputs every Authentik resource takes. */
export interface AuthentikResourceArgs {
    /** Base URL of Authentik, e.g. `https://auth.example.com`. The API token is not an input (see core/connection.ts). */
    readonly url: pulumi.Input<string>;
    /** Take over an existing object with the same natural key instead of failing on uniqueness. Default false. */
    readonly adopt?: pulumi.Input<boolean>;
    /**
     * The API token, when the stack's is not the one (the local runtime's bootstrap token, infra/runtime/). Pass a
     * Pulumi secret: it stays one in state (inputs and outputs), and delete and refresh find it there. Default: the
     * stack's `authentik.token`.
     */
    readonly token?: pulumi.Input<string>;
}

/** Pulumi module of every Authentik resource type: `pulumi-nodejs:dynamic/authentik:<Kind>`. */
export const MODULE = "authentik";

/** This stack's owner mark, `<project>/<stack>`. */
export function stackOwner(): string {
    return `${pulumi.getProject()}/${pulumi.getStack()}`;
}

/** The given attributes plus this stack's owner mark. */
export function withOwner(attributes: pulumi.Input<Attributes> | undefined): pulumi.Output<Attributes> {
    return pulumi.output(attributes ?? {}).apply((given): Attributes => ({ ...(given as Attributes), [OWNER_ATTRIBUTE]: stackOwner() }));
}

/**
 * The object's pk as dependents take it: its resource id, which is the pk. A dynamic provider has no provider-side
 * preview, so in an update preview the engine reports the new inputs as the outputs and a computed `pk` becomes
 * unknown (the `stables` a diff declares do not help: @pulumi/pulumi's dynamic-provider server drops them); the id
 * the engine always carries over, and it is unknown exactly when a create or replacement assigns a new one.
 */
export function pkFromId(resource: pulumi.CustomResource): pulumi.Output<string> {
    return resource.id;
}

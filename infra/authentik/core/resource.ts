import * as pulumi from "@pulumi/pulumi";
import { OWNER_ATTRIBUTE, type Attributes } from "./compare";

/** Inputs every Authentik resource takes. */
export interface AuthentikResourceArgs {
    /** Base URL of Authentik, e.g. `https://auth.example.com`. The API token is not an input (see core/connection.ts). */
    readonly url: pulumi.Input<string>;
    /** Take over an existing object with the same natural key instead of failing on uniqueness. Default false. */
    readonly adopt?: pulumi.Input<boolean>;
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

import * as pulumi from "@pulumi/pulumi";

/**
 * How an app's stack consumes Gatehouse: one StackReference, typed outputs, secrets still secret.
 * `gatehouseStack` is the fully qualified stack name, e.g. `acme-org/gatehouse/prod` (file backends: `organization/gatehouse/prod`).
 */
interface GatehouseOidc {
    issuer: string;
    discoveryUrl: string;
    clientId: string;
    clientSecret: string;
}

interface GatehouseDatabase {
    url: string;
    appUrl: string;
}

const config = new pulumi.Config();
const gatehouse = new pulumi.StackReference("gatehouse", { name: config.require("gatehouseStack") });

const oidc = gatehouse.requireOutput("oidc") as pulumi.Output<GatehouseOidc>;
const database = gatehouse.requireOutput("database") as pulumi.Output<GatehouseDatabase>;

// What the app's deployment would receive: plain where public, secret where not. `oidc` as a whole is secret
// (it carries the client secret), so the public fields are unwrapped explicitly.
export const issuer = pulumi.unsecret(oidc.apply((o) => o.issuer));
export const clientId = pulumi.unsecret(oidc.apply((o) => o.clientId));
export const clientSecret = pulumi.secret(oidc.apply((o) => o.clientSecret));
export const runtimeDatabaseUrl = pulumi.secret(database.apply((d) => d.appUrl));
export const appEnv = gatehouse.requireOutput("appEnv");

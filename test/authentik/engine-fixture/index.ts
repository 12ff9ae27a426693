import * as pulumi from "@pulumi/pulumi";
import { AuthentikAccess, AuthentikDirectory, AuthentikOidcApp } from "../../../infra/authentik";

/**
 * Settings as the engine test writes them. The Authentik token is in the same `authentik` object
 * (`authentik.token`, secret) but this program never reads it: the providers take it from stack config themselves.
 */
interface FixtureSettings {
    readonly url: string;
    readonly adopt?: boolean;
    readonly prefix: string;
    readonly title: string;
    readonly redirectUri: string;
    /** Organisation short names. Default `[ACR]`. */
    readonly orgs?: string[];
}

const config = new pulumi.Config();
const authentik = config.requireObject<FixtureSettings>("authentik");

const app = new AuthentikOidcApp("fixture-oidc", {
    url: authentik.url,
    adopt: authentik.adopt ?? false,
    slug: authentik.prefix,
    displayName: authentik.title,
    clientId: `${authentik.prefix}-test`,
    clientSecret: config.requireSecret("clientSecret"),
    redirectUris: [authentik.redirectUri],
    logoutRedirectUris: [authentik.redirectUri.replace(/\/oauth\/callback$/, "/")],
    grantTypes: ["authorization_code", "refresh_token"],
    launchUrl: authentik.redirectUri.replace(/\/oauth\/callback$/, ""),
    flows: { authorization: "default-provider-authorization-implicit-consent", invalidation: "default-provider-invalidation-flow" },
    signingKey: "authentik Self-signed Certificate",
    accessCodeValidity: "minutes=1",
    accessTokenValidity: "minutes=5",
    refreshTokenValidity: "days=30",
    subMode: "user_uuid",
    includeClaimsInIdToken: true,
    policyEngineMode: "any",
});

const directory = new AuthentikDirectory("fixture-directory", {
    url: authentik.url,
    adopt: authentik.adopt ?? false,
    groupPrefix: authentik.prefix,
    orgs: authentik.orgs ?? ["ACR"],
    brand: {
        domain: "auth.fixture.test",
        title: authentik.title,
        logo: "/static/dist/assets/icons/icon_left_brand.svg",
        css: "custom.css",
        default: false,
    },
    testUsers: [
        { username: "alice", name: "Alice Admin", email: "alice@example.test", groups: ["admins"], password: config.requireSecret("alicePassword") },
        { username: "eddie", name: "Eddie Editor", email: "eddie@example.test", groups: ["editors", "org-ACR"], password: config.requireSecret("eddiePassword") },
    ],
});

new AuthentikAccess("fixture-access", { url: authentik.url, adopt: authentik.adopt ?? false, applicationPk: app.applicationPk, groups: directory.groups, roles: ["admins", "editors"] });

export const issuerUrl = app.issuerUrl;
export const clientId = app.clientId;
export const clientSecret = app.clientSecret;
export const groups = directory.groups;
export const users = directory.testUsers;

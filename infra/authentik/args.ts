import type * as pulumi from "@pulumi/pulumi";
import { ROLE_GROUPS } from "../config/constants";
import { groupNames, roleOf } from "../config/groups";
import type { StackConfig } from "../config/schema";
import type { AuthentikAccessArgs } from "./access";
import type { AuthentikDirectoryArgs } from "./directory";
import type { AuthentikOidcAppArgs } from "./oidc-app";

/**
 * Where the components reach Authentik when it is not simply `authentik.url` with the stack's token: the local
 * runtime's Authentik (infra/runtime/) is reached at a URL that resolves once it answers, with its bootstrap token,
 * and holds the brand's files already.
 */
export interface AuthentikConnection {
    readonly url: pulumi.Input<string>;
    /** A Pulumi secret. */
    readonly token?: pulumi.Input<string>;
    readonly brandFilesMounted?: boolean;
}

/** Redirect URIs: `app.redirectUris`, else `<app.publicUrl><app.callbackPath>`. */
export function redirectUris(config: Pick<StackConfig, "app">): string[] {
    return config.app.redirectUris ?? [`${config.app.publicUrl.replace(/\/+$/, "")}${config.app.callbackPath}`];
}

/** Post-logout redirect URIs: `app.logoutRedirectUris`, else `<app.publicUrl>/`. */
export function logoutRedirectUris(config: Pick<StackConfig, "app">): string[] {
    return config.app.logoutRedirectUris ?? [`${config.app.publicUrl.replace(/\/+$/, "")}/`];
}

/** AuthentikOidcApp's args from the stack config and the generated client secret. */
export function oidcAppArgs(config: StackConfig, clientSecret: pulumi.Input<string>, connection?: AuthentikConnection): AuthentikOidcAppArgs {
    const { authentik, app, names } = config;
    return {
        url: connection?.url ?? authentik.url,
        ...(connection?.token !== undefined && { token: connection.token }),
        adopt: authentik.adopt,
        slug: names.applicationSlug,
        displayName: app.displayName ?? app.name,
        clientId: names.clientId,
        clientSecret,
        redirectUris: redirectUris(config),
        logoutRedirectUris: logoutRedirectUris(config),
        grantTypes: authentik.oidc.grantTypes,
        launchUrl: authentik.oidc.launchUrl ?? app.publicUrl,
        flows: authentik.flows,
        signingKey: authentik.oidc.signingKey,
        accessCodeValidity: authentik.oidc.accessCodeValidity,
        accessTokenValidity: authentik.oidc.accessTokenValidity,
        refreshTokenValidity: authentik.oidc.refreshTokenValidity,
        subMode: authentik.oidc.subMode,
        includeClaimsInIdToken: authentik.oidc.includeClaimsInIdToken,
        policyEngineMode: authentik.oidc.policyEngineMode,
    };
}

/**
 * AuthentikDirectory's args from the stack config. A test user's password is, in this order: its own
 * `password`, the stack's `testUserPassword`, or the generated one in `generatedPasswords` (GatehouseSecrets).
 */
export function directoryArgs(config: StackConfig, generatedPasswords: Readonly<Record<string, pulumi.Input<string>>>, connection?: AuthentikConnection): AuthentikDirectoryArgs {
    const { authentik, names } = config;
    const brand = authentik.brand;
    return {
        url: connection?.url ?? authentik.url,
        ...(connection?.token !== undefined && { token: connection.token }),
        ...(connection?.brandFilesMounted === true && { brandFilesMounted: true }),
        adopt: authentik.adopt,
        stateful: config.stateful,
        groupPrefix: names.groupPrefix,
        orgs: authentik.groups.orgs,
        ...(brand !== undefined && {
            brand: {
                domain: brand.domain ?? new URL(authentik.url).hostname,
                title: brand.title ?? config.app.displayName ?? config.app.name,
                logo: brand.logo,
                favicon: brand.favicon,
                css: brand.css,
                default: brand.default,
            },
        }),
        testUsers: authentik.testUsers.map((user) => {
            const password = user.password ?? authentik.testUserPassword ?? generatedPasswords[user.username];
            if (password === undefined) throw new Error(`authentik.testUsers: no password for "${user.username}" (none set and none generated)`);
            return { username: user.username, name: user.name, email: user.email, groups: user.groups, password };
        }),
    };
}

/**
 * The roles whose members may open the application: `authentik.access` (roles or full group names; the schema has
 * checked that each names a group of this stack), every role group by default, none for `everyone`.
 */
export function accessRoles(config: StackConfig): string[] {
    const access = config.authentik.access;
    if (access === "everyone") return [];
    const names = groupNames(config.names.groupPrefix, config.authentik.groups.orgs);
    return [...new Set((access ?? ROLE_GROUPS).map((ref) => roleOf(ref, names) ?? ref))];
}

/** AuthentikAccess's args from the stack config, the application and the directory's groups. */
export function accessArgs(config: StackConfig, applicationPk: pulumi.Input<string>, groups: Readonly<Record<string, pulumi.Input<string>>>, connection?: AuthentikConnection): AuthentikAccessArgs {
    return {
        url: connection?.url ?? config.authentik.url,
        ...(connection?.token !== undefined && { token: connection.token }),
        adopt: config.authentik.adopt,
        applicationPk,
        groups,
        roles: accessRoles(config),
    };
}

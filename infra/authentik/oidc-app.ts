import * as pulumi from "@pulumi/pulumi";
import { Application } from "./application";
import { CertificateKeyPairLookup, FlowLookup, ScopeMappingLookup } from "./lookups";
import type { GrantType } from "../config/constants";
import { MANAGED_SCOPES, PROVIDER_FIXED, scopeMappingSpecs } from "./objects";
import { OAuth2Provider, type SubMode } from "./oauth2-provider";
import { ScopeMapping } from "./scope-mapping";

export { GROUPS_EXPRESSION, MANAGED_SCOPES, PROFILE_EXPRESSION } from "./objects";

export interface AuthentikOidcAppArgs {
    /**
     * Base URL of Authentik (`authentik.url`). An Output works too: when a runtime starts Authentik in the same
     * update, pass a URL that resolves once Authentik answers, so lookups wait for it (and preview skips them).
     */
    readonly url: pulumi.Input<string>;
    /** The API token when it is not the stack's `authentik.token` (the runtime's bootstrap token); a secret. */
    readonly token?: pulumi.Input<string>;
    /** Take over existing objects with the same names (`authentik.adopt`). Default false. */
    readonly adopt?: boolean;
    /** Application slug, part of the issuer URL (`names.applicationSlug`). */
    readonly slug: string;
    /** Application name on the Authentik dashboard (`app.displayName`, default `app.name`). */
    readonly displayName: string;
    /** OAuth2 client id (`names.clientId`); also the provider's name, so environments sharing an Authentik never collide. */
    readonly clientId: string;
    /** Client secret from the Gatehouse RandomPassword `oidc-client-secret`. Secret. */
    readonly clientSecret: pulumi.Input<string>;
    /** Exact redirect URIs, matched strictly. */
    readonly redirectUris: readonly string[];
    /** Exact post-logout redirect URIs (`app.logoutRedirectUris`, default `<publicUrl>/`), matched strictly. */
    readonly logoutRedirectUris: readonly string[];
    /** Grants the provider allows (`authentik.oidc.grantTypes`). */
    readonly grantTypes: readonly GrantType[];
    /** Launch URL on the Authentik dashboard (`authentik.oidc.launchUrl`, default `app.publicUrl`). */
    readonly launchUrl: string;
    /** Flow slugs (`authentik.flows`). */
    readonly flows: { readonly authorization: string; readonly invalidation: string };
    /** Name of the certificate key pair that signs tokens (`authentik.oidc.signingKey`). */
    readonly signingKey: string;
    readonly accessCodeValidity: string;
    readonly accessTokenValidity: string;
    readonly refreshTokenValidity: string;
    readonly subMode: SubMode;
    readonly includeClaimsInIdToken: boolean;
    readonly policyEngineMode: "all" | "any";
}

/** The issuer URL of an application with a per-provider issuer: `<authentik>/application/o/<slug>/`. */
export function issuerUrl(url: string, slug: string): string {
    return `${url.replace(/\/+$/, "")}/application/o/${slug}/`;
}

/** Refuses args Authentik would take but an OIDC client cannot use; runs before any child is declared. */
export function validateOidcAppArgs(args: AuthentikOidcAppArgs): void {
    const problems: string[] = [];
    if (args.signingKey.trim() === "") problems.push("signingKey: a signing key is required (clients expect RS256; without one Authentik signs HS256)");
    if (args.redirectUris.length === 0) problems.push("redirectUris: at least one redirect URI is required");
    for (const uri of [...args.redirectUris, ...args.logoutRedirectUris]) if (uri.includes("*")) problems.push(`redirectUris: "${uri}" has a wildcard; list each URI exactly`);
    if (args.grantTypes.length === 0) problems.push("grantTypes: at least one grant type is required (authentik lets nobody sign in otherwise)");
    if (problems.length > 0) throw new Error(`AuthentikOidcApp "${args.slug}":\n  ${problems.join("\n  ")}`);
}

/**
 * The OIDC side of one app in Authentik: `profile` and `groups` scope mappings, a confidential OAuth2 provider (our
 * client id and secret, strict redirect and logout URIs, the allowed grants, a signing key, the managed
 * openid/email/offline_access mappings plus ours), and the application bound to it. Flows, the signing key and the managed mappings are looked up, and a missing one stops
 * the preview naming what was looked for.
 */
export class AuthentikOidcApp extends pulumi.ComponentResource {
    /** `<authentik>/application/o/<slug>/`; discovery at `<issuerUrl>.well-known/openid-configuration`. */
    readonly issuerUrl: pulumi.Output<string>;
    readonly clientId: pulumi.Output<string>;
    /** Secret. */
    readonly clientSecret: pulumi.Output<string>;
    readonly applicationSlug: pulumi.Output<string>;
    /** The application's pk: the target its policy bindings point at. */
    readonly applicationPk: pulumi.Output<string>;
    readonly providerPk: pulumi.Output<number>;

    constructor(name: string, args: AuthentikOidcAppArgs, opts?: pulumi.ComponentResourceOptions) {
        super("gatehouse:authentik:AuthentikOidcApp", name, {}, opts);
        validateOidcAppArgs(args);
        const parent = { parent: this };
        const token = args.token === undefined ? {} : { token: pulumi.secret(args.token) };
        const common = { url: args.url, adopt: args.adopt ?? false, ...token };
        const lookup = { url: args.url, ...token };

        const authorizationFlow = new FlowLookup(`${name}-authorization-flow`, { ...lookup, slug: args.flows.authorization }, parent);
        const invalidationFlow = new FlowLookup(`${name}-invalidation-flow`, { ...lookup, slug: args.flows.invalidation }, parent);
        const signingKey = new CertificateKeyPairLookup(`${name}-signing-key`, { ...lookup, name: args.signingKey }, parent);
        const managed = (Object.entries(MANAGED_SCOPES) as [string, string][]).map(
            ([scope, id]) => new ScopeMappingLookup(`${name}-scope-${scope}`, { ...lookup, managed: id }, parent).pk,
        );
        const [profile, groups] = scopeMappingSpecs(args.clientId).map(
            (spec) => new ScopeMapping(`${name}-${spec.role}-scope`, { ...common, name: spec.name, scopeName: spec.scopeName, expression: spec.expression, description: spec.description }, parent),
        ) as [ScopeMapping, ScopeMapping];
        const provider = new OAuth2Provider(
            `${name}-provider`,
            {
                ...common,
                name: args.clientId,
                clientType: PROVIDER_FIXED.clientType,
                clientId: args.clientId,
                clientSecret: args.clientSecret,
                redirectUris: [...args.redirectUris],
                logoutRedirectUris: [...args.logoutRedirectUris],
                grantTypes: [...args.grantTypes],
                authorizationFlow: authorizationFlow.pk,
                invalidationFlow: invalidationFlow.pk,
                signingKey: signingKey.pk,
                propertyMappings: [...managed, profile.pk, groups.pk],
                accessCodeValidity: args.accessCodeValidity,
                accessTokenValidity: args.accessTokenValidity,
                refreshTokenValidity: args.refreshTokenValidity,
                subMode: args.subMode,
                includeClaimsInIdToken: args.includeClaimsInIdToken,
                issuerMode: PROVIDER_FIXED.issuerMode,
            },
            parent,
        );
        const application = new Application(
            `${name}-application`,
            {
                ...common,
                slug: args.slug,
                name: args.displayName,
                provider: provider.pk,
                metaLaunchUrl: args.launchUrl,
                policyEngineMode: args.policyEngineMode,
            },
            parent,
        );

        this.issuerUrl = pulumi.all([args.url, application.slug]).apply(([url, slug]) => issuerUrl(url, slug));
        this.clientId = provider.clientId;
        this.clientSecret = pulumi.secret(provider.clientSecret);
        this.applicationSlug = application.slug;
        this.applicationPk = application.pk;
        this.providerPk = provider.pk;
        this.registerOutputs({
            issuerUrl: this.issuerUrl,
            clientId: this.clientId,
            clientSecret: this.clientSecret,
            applicationSlug: this.applicationSlug,
            applicationPk: this.applicationPk,
            providerPk: this.providerPk,
        });
    }
}

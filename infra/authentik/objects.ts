/**
 * The Authentik objects of one stack as plain data: what the components (oidc-app.ts, directory.ts, access.ts)
 * declare and what `npm run blueprint` renders (infra/blueprint/), derived once here so the two never drift.
 * Pure: no Pulumi resource is declared by importing this file.
 */
import { brandingAsset, brandingCss, type BrandingAsset } from "./branding";

/** The claim Rediflow-style apps read group membership from: every group of the user, inherited ones included. */
export const GROUPS_EXPRESSION = 'return {"groups": [group.name for group in request.user.all_groups()]}';

/**
 * The `profile` scope as authentik's managed mapping answers it, minus `groups`: authentik's adds the direct groups,
 * and claims of several mappings are merged with lists concatenated, so `openid profile groups` would list each
 * group twice. With this one, `groups` has one source: the `groups` scope.
 */
export const PROFILE_EXPRESSION = [
    "return {",
    '    "name": request.user.name,',
    '    "given_name": request.user.name,',
    '    "preferred_username": request.user.username,',
    '    "nickname": request.user.username,',
    "}",
].join("\n");

/**
 * Authentik's managed mappings the provider uses as they are. `offline_access` must be attached for authentik to
 * issue a refresh token (it drops requested scopes no attached mapping answers).
 */
export const MANAGED_SCOPES = {
    openid: "goauthentik.io/providers/oauth2/scope-openid",
    email: "goauthentik.io/providers/oauth2/scope-email",
    offline_access: "goauthentik.io/providers/oauth2/scope-offline_access",
} as const;

export interface ScopeMappingSpec {
    /** `profile` or `groups`: the resource name's suffix and the blueprint entry's id. */
    readonly role: "profile" | "groups";
    readonly name: string;
    readonly scopeName: string;
    readonly expression: string;
    readonly description: string;
}

/** Gatehouse's own scope mappings, named after the client id so environments sharing an Authentik never collide. */
export function scopeMappingSpecs(clientId: string): ScopeMappingSpec[] {
    return [
        { role: "profile", name: `${clientId}-profile`, scopeName: "profile", expression: PROFILE_EXPRESSION, description: "General Profile Information" },
        { role: "groups", name: `${clientId}-groups`, scopeName: "groups", expression: GROUPS_EXPRESSION, description: "Your group memberships" },
    ];
}

/** Provider settings that are not configurable: a confidential client with a per-provider issuer. */
export const PROVIDER_FIXED = { clientType: "confidential", issuerMode: "per_provider" } as const;

/** Where seeded test users live in Authentik's directory. */
export function testUserPath(groupPrefix: string): string {
    return `users/${groupPrefix}-test`;
}

export const TEST_USER_TYPE = "internal";

/** Evaluation order of the i-th access binding (gaps leave room for bindings made by hand). */
export function bindingOrder(index: number): number {
    return (index + 1) * 10;
}

/** Policy binding fields Gatehouse does not vary. */
export const BINDING_FIXED = { negate: false, enabled: true, timeout: 30, failureResult: false } as const;

export interface BrandFileSettings {
    readonly logo?: string;
    readonly favicon?: string;
    readonly css?: string;
}

export interface BrandFiles {
    readonly logo?: BrandingAsset;
    readonly favicon?: BrandingAsset;
    readonly css?: string;
}

/** The brand's files, read from `dir` at program time (a missing file fails before anything is declared). */
export function readBrand(brand: BrandFileSettings, dir: string, prefix: string): BrandFiles {
    return {
        ...(brand.logo !== undefined && { logo: brandingAsset(brand.logo, dir, prefix, "logo") }),
        ...(brand.favicon !== undefined && { favicon: brandingAsset(brand.favicon, dir, prefix, "favicon") }),
        ...(brand.css !== undefined && { css: brandingCss(brand.css, dir) }),
    };
}

/** What a brand's logo or favicon field holds for an asset: the reference itself, or the media file's name. */
export function brandImageName(asset: BrandingAsset): string {
    return asset.kind === "reference" ? asset.value : asset.name;
}

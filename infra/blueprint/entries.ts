/**
 * A stack's Authentik objects as authentik blueprint entries (models as authentik's blueprints/schema.json names
 * them), from the derivations the components use (infra/authentik/args.ts and objects.ts): groups, scope mappings,
 * the OAuth2 provider, the application, its policy bindings, the brand, and test users outside prod. Identifiers
 * are natural keys; references are `!KeyOf` (objects of this blueprint) and `!Find` (objects authentik owns);
 * secrets are `!Env` names, never values.
 */
import { accessRoles, directoryArgs, oidcAppArgs } from "../authentik/args";
import { BRANDING_DIR } from "../authentik/branding";
import { OWNER_ATTRIBUTE } from "../authentik/core/compare";
import { groupNames, resolveUserGroups } from "../config/groups";
import { BINDING_FIXED, bindingOrder, brandImageName, MANAGED_SCOPES, PROVIDER_FIXED, readBrand, scopeMappingSpecs, testUserPath, TEST_USER_TYPE } from "../authentik/objects";
import type { StackConfig } from "../config/schema";
import { Env, Find, KeyOf, type BlueprintValue } from "./yaml";

export interface BlueprintEntry {
    readonly model: string;
    readonly id: string;
    readonly state: "present";
    readonly identifiers: Readonly<Record<string, BlueprintValue>>;
    readonly attrs: Readonly<Record<string, BlueprintValue | undefined>>;
}

/** The stack whose objects these are: its owner mark `<project>/<stack>`, as the components set it. */
export interface BlueprintIdentity {
    readonly project: string;
    readonly stack: string;
}

/** The worker's environment variables the blueprint's secrets come from. */
export const CLIENT_SECRET_ENV = "GATEHOUSE_OIDC_CLIENT_SECRET";
export function testUserPasswordEnv(username: string): string {
    return `GATEHOUSE_TEST_USER_PASSWORD_${username.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

const flow = (slug: string) => new Find("authentik_flows.flow", [["slug", slug]]);

export function blueprintEntries(config: StackConfig, identity: BlueprintIdentity, brandingDir = BRANDING_DIR): BlueprintEntry[] {
    const owner = { [OWNER_ATTRIBUTE]: `${identity.project}/${identity.stack}` };
    // Secrets are `!Env` references: the args see placeholders that never reach the YAML.
    const oidc = oidcAppArgs(config, "");
    const directory = directoryArgs(config, Object.fromEntries(config.authentik.testUsers.map((u) => [u.username, ""])));
    const names = groupNames(directory.groupPrefix, directory.orgs);
    const entry = (model: string, id: string, identifiers: BlueprintEntry["identifiers"], attrs: BlueprintEntry["attrs"]): BlueprintEntry => ({ model, id, state: "present", identifiers, attrs });

    const groups = Object.entries(names).map(([role, name]) => entry("authentik_core.group", `group-${role}`, { name }, { is_superuser: false, attributes: owner }));
    const scopes = scopeMappingSpecs(oidc.clientId).map((spec) =>
        entry("authentik_providers_oauth2.scopemapping", `scope-${spec.role}`, { name: spec.name }, { scope_name: spec.scopeName, expression: spec.expression, description: spec.description }),
    );
    const redirect = (type: "authorization" | "logout") => (url: string) => ({ matching_mode: "strict", url, redirect_uri_type: type });
    const provider = entry(
        "authentik_providers_oauth2.oauth2provider",
        "provider",
        { name: oidc.clientId },
        {
            client_type: PROVIDER_FIXED.clientType,
            client_id: oidc.clientId,
            client_secret: new Env(CLIENT_SECRET_ENV),
            redirect_uris: [...oidc.redirectUris.map(redirect("authorization")), ...oidc.logoutRedirectUris.map(redirect("logout"))],
            grant_types: [...oidc.grantTypes],
            authorization_flow: flow(oidc.flows.authorization),
            invalidation_flow: flow(oidc.flows.invalidation),
            signing_key: new Find("authentik_crypto.certificatekeypair", [["name", oidc.signingKey]]),
            property_mappings: [
                ...Object.values(MANAGED_SCOPES).map((managed) => new Find("authentik_providers_oauth2.scopemapping", [["managed", managed]])),
                new KeyOf("scope-profile"),
                new KeyOf("scope-groups"),
            ],
            access_code_validity: oidc.accessCodeValidity,
            access_token_validity: oidc.accessTokenValidity,
            refresh_token_validity: oidc.refreshTokenValidity,
            sub_mode: oidc.subMode,
            include_claims_in_id_token: oidc.includeClaimsInIdToken,
            issuer_mode: PROVIDER_FIXED.issuerMode,
        },
    );
    const application = entry(
        "authentik_core.application",
        "application",
        { slug: oidc.slug },
        { name: oidc.displayName, provider: new KeyOf("provider"), meta_launch_url: oidc.launchUrl, policy_engine_mode: oidc.policyEngineMode },
    );
    const bindings = accessRoles(config).map((role, i) =>
        entry(
            "authentik_policies.policybinding",
            `binding-${role}`,
            { group: new KeyOf(`group-${role}`), target: new KeyOf("application") },
            { order: bindingOrder(i), negate: BINDING_FIXED.negate, enabled: BINDING_FIXED.enabled, timeout: BINDING_FIXED.timeout, failure_result: BINDING_FIXED.failureResult },
        ),
    );
    const brand = directory.brand;
    const brands: BlueprintEntry[] = [];
    if (brand !== undefined) {
        const files = readBrand(brand, brandingDir, directory.groupPrefix);
        brands.push(
            entry(
                "authentik_brands.brand",
                "brand",
                { domain: brand.domain },
                {
                    default: brand.default,
                    branding_title: brand.title,
                    branding_logo: files.logo && brandImageName(files.logo),
                    branding_favicon: files.favicon && brandImageName(files.favicon),
                    branding_custom_css: files.css,
                    attributes: owner,
                },
            ),
        );
    }
    const users = (directory.testUsers ?? []).map((user) =>
        entry(
            "authentik_core.user",
            `user-${user.username}`,
            { username: user.username },
            {
                name: user.name,
                email: user.email,
                path: testUserPath(directory.groupPrefix),
                type: TEST_USER_TYPE,
                is_active: true,
                groups: resolveUserGroups(user.username, user.groups, names).map((role) => new KeyOf(`group-${role}`)),
                attributes: owner,
                password: new Env(testUserPasswordEnv(user.username)),
            },
        ),
    );
    return [...groups, ...scopes, provider, application, ...bindings, ...brands, ...users];
}

/** Every `!Env` name the entries use: what authentik's worker needs in its environment. */
export function envNames(entries: readonly BlueprintEntry[]): string[] {
    const found = new Set<string>();
    const walk = (value: unknown): void => {
        if (value instanceof Env) found.add(value.name);
        else if (Array.isArray(value)) value.forEach(walk);
        else if (value !== null && typeof value === "object" && !(value instanceof KeyOf) && !(value instanceof Find)) Object.values(value).forEach(walk);
    };
    entries.forEach((e) => walk(e.attrs));
    return [...found];
}

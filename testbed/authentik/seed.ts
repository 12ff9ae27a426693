/**
 * The state of a fresh authentik install, as its default and system blueprints and
 * startup tasks leave it:
 * - flows from blueprints/default/flow-*.yaml (slug, name, title, designation, authentication);
 * - the managed OAuth scope mappings of blueprints/system/providers-oauth2.yaml (and the
 *   proxy outpost scope of providers-proxy.yaml);
 * - "authentik Self-signed Certificate" (crypto startup task) and the managed
 *   "authentik Internal JWT Certificate" (goauthentik.io/crypto/jwt-managed);
 * - the default brand of blueprints/default/default-brand.yaml;
 * - akadmin in "authentik Admins" (blueprints/system/bootstrap.yaml).
 */
import { randomBytes } from "node:crypto";
import type { Db, FlowRecord, ScopeMappingRecord } from "./core/db";
import { newUuid, timestamp } from "./core/fields";
import { BRAND_DEFAULTS } from "./kinds/brands";
import { newUserRecord } from "./kinds/users";
import { seedDefaultStages } from "./signin/flows/models";
import { INTERNAL_JWT_CERTIFICATE, INTERNAL_JWT_KEY, SELF_SIGNED_CERTIFICATE, SELF_SIGNED_KEY } from "./seed-certificates";

type FlowSeed = Pick<FlowRecord, "slug" | "name" | "title" | "designation" | "authentication">;

export const DEFAULT_FLOWS: readonly FlowSeed[] = [
    { slug: "default-authentication-flow", name: "Welcome to authentik!", title: "Welcome to authentik!", designation: "authentication", authentication: "none" },
    { slug: "default-invalidation-flow", name: "Logout", title: "Default Invalidation Flow", designation: "invalidation", authentication: "none" },
    { slug: "default-provider-authorization-explicit-consent", name: "Authorize Application", title: "Redirecting to %(app)s", designation: "authorization", authentication: "require_authenticated" },
    { slug: "default-provider-authorization-implicit-consent", name: "Authorize Application", title: "Redirecting to %(app)s", designation: "authorization", authentication: "require_authenticated" },
    { slug: "default-provider-invalidation-flow", name: "Logout", title: "You've logged out of %(app)s.", designation: "invalidation", authentication: "none" },
    { slug: "default-source-authentication", name: "Welcome to authentik!", title: "Welcome to authentik!", designation: "authentication", authentication: "require_unauthenticated" },
    { slug: "default-source-enrollment", name: "Welcome to authentik! Please select a username.", title: "Welcome to authentik! Please select a username.", designation: "enrollment", authentication: "none" },
    { slug: "default-source-pre-authentication", name: "Pre-Authentication", title: "Pre-authentication", designation: "stage_configuration", authentication: "none" },
    { slug: "default-user-settings-flow", name: "User settings", title: "Update your info", designation: "stage_configuration", authentication: "require_authenticated" },
    { slug: "default-password-change", name: "Change Password", title: "Change password", designation: "stage_configuration", authentication: "require_authenticated" },
    { slug: "default-request", name: "Request access", title: "Request access", designation: "stage_configuration", authentication: "require_authenticated" },
];

type ScopeSeed = Omit<ScopeMappingRecord, "pk">;

export const MANAGED_SCOPE_MAPPINGS: readonly ScopeSeed[] = [
    {
        managed: "goauthentik.io/providers/oauth2/scope-openid",
        name: "authentik default OAuth Mapping: OpenID 'openid'",
        scope_name: "openid",
        description: "",
        expression:
            "# This scope is required by the OpenID-spec, and must as such exist in authentik.\n# The scope by itself does not grant any information\nreturn {}\n",
    },
    {
        managed: "goauthentik.io/providers/oauth2/scope-email",
        name: "authentik default OAuth Mapping: OpenID 'email'",
        scope_name: "email",
        description: "Email address",
        expression: 'return {\n    "email": request.user.email,\n    "email_verified": False\n}\n',
    },
    {
        managed: "goauthentik.io/providers/oauth2/scope-profile",
        name: "authentik default OAuth Mapping: OpenID 'profile'",
        scope_name: "profile",
        description: "General Profile Information",
        expression:
            "return {\n" +
            "    # Because authentik only saves the user's full name, and has no concept of first and last names,\n" +
            "    # the full name is used as given name.\n" +
            '    # You can override this behaviour in custom mappings, i.e. `request.user.name.split(" ")`\n' +
            '    "name": request.user.name,\n' +
            '    "given_name": request.user.name,\n' +
            '    "preferred_username": request.user.username,\n' +
            '    "nickname": request.user.username,\n' +
            '    "groups": [group.name for group in request.user.ak_groups.all()],\n' +
            "}\n",
    },
    {
        managed: "goauthentik.io/providers/oauth2/scope-entitlements",
        name: "authentik default OAuth Mapping: Application Entitlements",
        scope_name: "entitlements",
        description: "Application entitlements",
        expression:
            "entitlements = [entitlement.name for entitlement in request.user.app_entitlements(provider.application)]\n" +
            'return {\n    "entitlements": entitlements,\n    "roles": entitlements,\n}\n',
    },
    {
        managed: "goauthentik.io/providers/oauth2/scope-offline_access",
        name: "authentik default OAuth Mapping: OpenID 'offline_access'",
        scope_name: "offline_access",
        description: "Access to request new tokens without interaction",
        expression:
            "# This scope grants the application a refresh token that can be used to refresh user data\n# and let the application access authentik without the users interaction\nreturn {}\n",
    },
    {
        managed: "goauthentik.io/providers/oauth2/scope-authentik_api",
        name: "authentik default OAuth Mapping: authentik API access",
        scope_name: "goauthentik.io/api",
        description: "authentik API Access on behalf of your user",
        expression:
            "# This scope grants the application the ability to access the authentik API\n# on behalf of the authorizing user\nreturn {}\n",
    },
    {
        managed: "goauthentik.io/providers/proxy/scope-proxy",
        name: "authentik default OAuth Mapping: Proxy outpost",
        scope_name: "ak_proxy",
        description: "authentik Proxy - User information",
        expression:
            'return {\n    "ak_proxy": {\n        "user_attributes": request.user.group_attributes(request),\n        "is_superuser": request.user.is_superuser,\n    }\n}\n',
    },
];

export const ADMIN_USERNAME = "akadmin";
export const ADMIN_GROUP = "authentik Admins";
export const SELF_SIGNED_NAME = "authentik Self-signed Certificate";
export const DEFAULT_BRAND_DOMAIN = "authentik-default";

/**
 * A fresh install. With `tokenUser`, the API token belongs to a service account of that name (type
 * `service_account`, path `goauthentik.io/service-accounts` as `UserViewSet.service_account` makes them), in no group.
 */
export function seed(db: Db, options: { tokenUser?: string } = {}): void {
    db.clear();
    db.tokenUsername = options.tokenUser ?? ADMIN_USERNAME;
    db.installId = randomBytes(16).toString("hex");
    db.secretKey = randomBytes(36).toString("base64url");
    for (const flow of DEFAULT_FLOWS) {
        const pk = newUuid();
        db.flows.set(pk, {
            pk,
            ...flow,
            background: "",
            policy_engine_mode: "any",
            compatibility_mode: false,
            layout: "stacked",
            denied_action: "message_continue",
        });
    }
    // the stages and flow-stage bindings of the same default blueprints
    seedDefaultStages(db);
    for (const mapping of MANAGED_SCOPE_MAPPINGS) {
        const pk = newUuid();
        // blueprints go through the serializer, whose CharFields trim the YAML block's final newline
        db.scopeMappings.set(pk, { pk, ...mapping, expression: mapping.expression.trim() });
    }
    const selfSigned = newUuid();
    db.certificates.set(selfSigned, {
        pk: selfSigned,
        name: SELF_SIGNED_NAME,
        certificate_data: SELF_SIGNED_CERTIFICATE,
        key_data: SELF_SIGNED_KEY,
        managed: null,
    });
    const jwt = newUuid();
    db.certificates.set(jwt, {
        pk: jwt,
        name: "authentik Internal JWT Certificate",
        certificate_data: INTERNAL_JWT_CERTIFICATE,
        key_data: INTERNAL_JWT_KEY,
        managed: "goauthentik.io/crypto/jwt-managed",
    });

    const flow = (slug: string) => db.flowBySlug(slug)?.pk ?? null;
    const brand = newUuid();
    db.brands.set(brand, {
        pk: brand,
        domain: DEFAULT_BRAND_DOMAIN,
        default: true,
        ...BRAND_DEFAULTS,
        branding_custom_css: "",
        branding_map_tiles: "",
        flow_authentication: flow("default-authentication-flow"),
        flow_user_switch: null,
        flow_invalidation: flow("default-invalidation-flow"),
        flow_recovery: null,
        flow_unenrollment: null,
        flow_user_settings: flow("default-user-settings-flow"),
        flow_device_code: null,
        flow_lockdown: null,
        flow_request: flow("default-request"),
        default_application: null,
        web_certificate: null,
        client_certificates: [],
        attributes: {},
    });

    const admins = newUuid();
    db.groups.set(admins, { pk: admins, name: ADMIN_GROUP, is_superuser: true, parents: [], attributes: {}, roles: [] });
    const now = timestamp();
    const pk = db.nextUserPk();
    db.users.set(pk, {
        ...newUserRecord(now),
        pk,
        username: ADMIN_USERNAME,
        name: "authentik Default Admin",
        groups: [admins],
        email: "root@localhost",
    });
    if (options.tokenUser !== undefined && options.tokenUser !== ADMIN_USERNAME) {
        const servicePk = db.nextUserPk();
        db.users.set(servicePk, {
            ...newUserRecord(now),
            pk: servicePk,
            username: options.tokenUser,
            name: options.tokenUser,
            type: "service_account",
            path: "goauthentik.io/service-accounts",
        });
    }
}

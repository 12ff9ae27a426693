import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { deriveNames } from "./names";
import { ENVIRONMENTS, ROTATABLE_SECRETS, TEST_USER_ENVIRONMENTS, type Environment, type RotatableSecret } from "./constants";

/**
 * What the schema needs to know besides the values: which top-level keys Pulumi holds as secrets
 * (so a secret typed in plain text is refused) and the stack name (the default environment).
 */
export interface ConfigContext {
    readonly stack: string;
    /** Top-level keys (without the project namespace) that were set with `--secret`. */
    readonly secretKeys: ReadonlySet<string>;
}

/** A secret from stack config: kept as a Pulumi secret from the moment it is parsed. */
export type SecretInput = pulumi.Output<string>;

const slug = z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,48}[a-z0-9]$/, "expected a lowercase slug (a-z, 0-9, '-'; 2-50 characters)");
const pgIdentifier = z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, "expected a PostgreSQL identifier (a-z, 0-9, '_'; at most 63 characters)");
const httpUrl = z.url({ protocol: /^https?$/, error: "expected an http(s) URL" });
const port = z.number().int().min(1).max(65535);
const nonNegativeInt = z.number().int().min(0);
/** Authentik's timedelta strings, e.g. `minutes=5` or `hours=1;minutes=30`. */
const validity = z
    .string()
    .regex(
        /^(?:(?:weeks|days|hours|minutes|seconds|microseconds|milliseconds)=\d+(?:\.\d+)?)(?:;(?:weeks|days|hours|minutes|seconds|microseconds|milliseconds)=\d+(?:\.\d+)?)*$/,
        "expected an Authentik duration such as 'minutes=5' or 'hours=1;minutes=30'",
    );

function secretSetting(ctx: ConfigContext, topKey: string) {
    return z
        .string()
        .min(1, "must not be empty")
        .superRefine((_value, refine) => {
            // The formatter replaces {path} with the setting's full path.
            if (!ctx.secretKeys.has(topKey)) {
                refine.addIssue({ code: "custom", message: SECRET_REQUIRED_MESSAGE });
            }
        })
        .transform((value): SecretInput => pulumi.secret(value));
}

const appSchema = z.strictObject({
    /** Short name of the app; prefixes database, role and Authentik object names. */
    name: slug,
    /** Human-readable name shown in Authentik. Default: `name`. */
    displayName: z.string().min(1).max(100).optional(),
    /** Where users reach the app. */
    publicUrl: httpUrl,
    /** OIDC redirect URIs, matched strictly. Default: `<publicUrl>/oauth/callback`. */
    redirectUris: z.array(httpUrl).min(1).optional(),
    /** Path of the callback used when `redirectUris` is not set. */
    callbackPath: z.string().startsWith("/").default("/oauth/callback"),
    /** What the app allows without login when OIDC is not configured (POLICY_NO_AUTH_DEFAULT); `allow_all` is refused in prod. */
    noAuthPolicy: z.enum(["deny", "view_only", "allow_all"]).default("deny"),
    /** Filter projects and people by Authentik visibility and org groups (PROJECT_VISIBILITY_ENABLED). */
    projectVisibility: z.boolean().default(false),
});

function postgresSchema(ctx: ConfigContext) {
    return z.strictObject({
        host: z.string().min(1).default("localhost"),
        port: port.default(5432),
        /** Role that creates databases and roles (CREATEDB, CREATEROLE or superuser). */
        adminUser: z.string().min(1).default("postgres"),
        adminPassword: secretSetting(ctx, "postgres"),
        /** Database the admin connects to. */
        adminDatabase: z.string().min(1).default("postgres"),
        sslMode: z.enum(["disable", "require", "verify-ca", "verify-full"]).default("disable"),
        /** Override the derived database names (`<app>_<env>`, `authentik_<env>`). */
        databases: z
            .strictObject({ app: pgIdentifier.optional(), authentik: pgIdentifier.optional() })
            .default({}),
        /** Override the derived role names (`<app>_<env>_owner`, `<app>_<env>_app`, `authentik_<env>`). */
        roles: z
            .strictObject({
                owner: pgIdentifier.optional(),
                app: pgIdentifier.optional(),
                authentik: pgIdentifier.optional(),
            })
            .default({}),
        /** Schema the app's tables live in. */
        schema: pgIdentifier.default("public"),
        /** Maximum connections per role; -1 = unlimited. */
        connectionLimit: z.number().int().min(-1).default(-1),
    });
}

const flowsSchema = z.strictObject({
    authorization: slug.default("default-provider-authorization-implicit-consent"),
    invalidation: slug.default("default-provider-invalidation-flow"),
});

const oidcSchema = z.strictObject({
    /** Application slug; it is part of the issuer URL. Default: app name. */
    slug: slug.optional(),
    /** OAuth2 client id. Default: `<app>-<env>`. */
    clientId: z.string().regex(/^[A-Za-z0-9._~-]{1,255}$/, "expected URL-safe characters only").optional(),
    /** Name of the certificate key pair that signs tokens (RS256). */
    signingKey: z.string().min(1).default("authentik Self-signed Certificate"),
    accessCodeValidity: validity.default("minutes=1"),
    accessTokenValidity: validity.default("minutes=5"),
    refreshTokenValidity: validity.default("days=30"),
    subMode: z
        .enum(["hashed_user_id", "user_id", "user_uuid", "user_username", "user_email", "user_upn"])
        .default("hashed_user_id"),
    includeClaimsInIdToken: z.boolean().default(true),
    policyEngineMode: z.enum(["all", "any"]).default("any"),
    /** Launch URL shown on the Authentik dashboard. Default: app public URL. */
    launchUrl: httpUrl.optional(),
});

const groupsSchema = z.strictObject({
    /** Prefix of every group name. Default: app name. */
    prefix: slug.optional(),
    /** Organisation short names; each becomes `<prefix>-org-<short>`. */
    orgs: z.array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, "expected a short name (letters, digits, '-', '_')")).default([]),
});

const brandSchema = z.strictObject({
    /** Domain the brand applies to. Default: host of the Authentik URL. */
    domain: z.string().min(1).optional(),
    title: z.string().min(1).max(255).optional(),
    /** File in branding/ or an absolute URL. */
    logo: z.string().min(1).optional(),
    favicon: z.string().min(1).optional(),
    /** CSS file in branding/. */
    css: z.string().min(1).optional(),
    default: z.boolean().default(false),
});

function testUserSchema(ctx: ConfigContext) {
    return z.strictObject({
        username: z.string().regex(/^[A-Za-z0-9@.+_-]{1,150}$/, "expected letters, digits and @.+-_ only"),
        name: z.string().min(1),
        email: z.email("expected an email address"),
        /** Role suffixes (admins, editors, viewers, …) or full group names. */
        groups: z.array(z.string().min(1)).default([]),
        password: secretSetting(ctx, "authentik").optional(),
    });
}

function authentikSchema(ctx: ConfigContext) {
    return z.strictObject({
        url: httpUrl,
        token: secretSetting(ctx, "authentik"),
        /** Take over existing objects with the same natural key instead of failing on uniqueness. */
        adopt: z.boolean().default(false),
        flows: flowsSchema.default(flowsSchema.parse({})),
        oidc: oidcSchema.default(oidcSchema.parse({})),
        groups: groupsSchema.default(groupsSchema.parse({})),
        brand: brandSchema.optional(),
        testUsers: z.array(testUserSchema(ctx)).default([]),
        /** One fixed password for every test user (otherwise each gets a generated one). */
        testUserPassword: secretSetting(ctx, "authentik").optional(),
    });
}

/** Rotation counters by secret name; unknown names are reported with the list of valid ones (see format.ts). */
const rotationSchema = z
    .strictObject(Object.fromEntries(ROTATABLE_SECRETS.map((name) => [name, nonNegativeInt.optional()])) as Record<RotatableSecret, z.ZodOptional<typeof nonNegativeInt>>)
    .default({});

const handoffSchema = z.strictObject({
    /** Write the app's environment to this file (mode 0600). Relative to the project directory. */
    envFile: z.string().min(1).optional(),
});

const dockerSchema = z.strictObject({
    enabled: z.boolean().default(false),
    network: z.string().min(1).optional(),
    postgresImage: z.string().min(1).default("postgres:18"),
    redisImage: z.string().min(1).default("redis:7-alpine"),
    authentikImage: z.string().min(1).default("ghcr.io/goauthentik/server:2026.8.3"),
    authentikPort: port.default(9000),
    postgresPort: port.default(5432),
});

const previewSchema = z.strictObject({
    /** Include this stack in pull-request previews. */
    enabled: z.boolean().default(true),
});

export const SECRET_REQUIRED_MESSAGE = "must be set as a secret: pulumi config set --secret --path {path} <value>";

function baseSchema(ctx: ConfigContext) {
    const defaultEnvironment = (ENVIRONMENTS as readonly string[]).includes(ctx.stack) ? ctx.stack : undefined;
    return z.strictObject({
            // A stack named after an environment needs no `environment` setting.
            environment: defaultEnvironment ? z.enum(ENVIRONMENTS).default(defaultEnvironment as Environment) : z.enum(ENVIRONMENTS),
            app: appSchema,
            postgres: postgresSchema(ctx),
            authentik: authentikSchema(ctx),
            rotation: rotationSchema,
            handoff: handoffSchema.default({}),
            docker: dockerSchema.default(dockerSchema.parse({})),
            preview: previewSchema.default(previewSchema.parse({})),
    });
}

/** The validated settings as written, before derived names are added. */
export type BaseConfig = z.output<ReturnType<typeof baseSchema>>;

export function stackConfigSchema(ctx: ConfigContext) {
    return baseSchema(ctx)
        .superRefine((cfg, refine) => environmentRules(cfg, refine), { when: () => true })
        .transform((cfg) => ({ ...cfg, names: deriveNames(cfg) }));
}

/** Reads a setting from a config that may be only partly valid: anything of the wrong shape reads as undefined. */
function at(value: unknown, ...path: string[]): unknown {
    let current = value;
    for (const key of path) current = current !== null && typeof current === "object" ? (current as Record<string, unknown>)[key] : undefined;
    return current;
}
const stringAt = (value: unknown, ...path: string[]) => (typeof at(value, ...path) === "string" ? (at(value, ...path) as string) : undefined);
const listAt = (value: unknown, ...path: string[]) => (Array.isArray(at(value, ...path)) ? (at(value, ...path) as unknown[]) : []);

/**
 * Rules that depend on the environment: production must be reachable only over TLS and carry no test fixtures.
 * They run even when other settings are invalid (so one message lists every bad key), which is why they read
 * the config defensively instead of trusting its type.
 */
function environmentRules(cfg: unknown, refine: z.RefinementCtx): void {
    const issue = (path: (string | number)[], message: string) => refine.addIssue({ code: "custom", path, message });
    const given = stringAt(cfg, "environment");
    // An invalid environment is reported by the schema itself; no rule can apply to it.
    const environment = given !== undefined && (ENVIRONMENTS as readonly string[]).includes(given) ? given : undefined;
    const redirectUris = listAt(cfg, "app", "redirectUris").filter((u): u is string => typeof u === "string");
    redirectUris.forEach((uri, i) => {
        if (uri.includes("*")) issue(["app", "redirectUris", i], "wildcards are not allowed; list each redirect URI exactly");
        if (URL.canParse(uri) && new URL(uri).hash !== "") issue(["app", "redirectUris", i], "a redirect URI must not contain a fragment");
    });
    if (environment === "prod") {
        const https = (path: string[]) => {
            const url = stringAt(cfg, ...path);
            if (url !== undefined && URL.canParse(url) && !url.startsWith("https://")) issue(path, "expected an https URL in prod");
        };
        https(["app", "publicUrl"]);
        redirectUris.forEach((uri, i) => {
            if (URL.canParse(uri) && !uri.startsWith("https://")) issue(["app", "redirectUris", i], "expected an https URL in prod");
        });
        https(["authentik", "url"]);
    }
    if (environment !== undefined && listAt(cfg, "authentik", "testUsers").length > 0 && !(TEST_USER_ENVIRONMENTS as readonly string[]).includes(environment)) {
        issue(["authentik", "testUsers"], `test users are refused in ${environment}`);
    }
    if (environment !== "prod") return;
    if (at(cfg, "app", "noAuthPolicy") === "allow_all") issue(["app", "noAuthPolicy"], "allow_all lets anyone act as admin; refused in prod");
    if (at(cfg, "postgres", "sslMode") === "disable") issue(["postgres", "sslMode"], "TLS to PostgreSQL is required in prod (require, verify-ca or verify-full)");
    if (at(cfg, "docker", "enabled") === true) issue(["docker", "enabled"], "the local docker runtime is for dev and test only");
}

export type StackConfig = z.output<ReturnType<typeof stackConfigSchema>>;

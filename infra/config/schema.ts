import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { DOCKER_DEFAULTS, dockerEnabled } from "./docker";
import { deriveNames } from "./names";
import { DEFAULT_GRANT_TYPES, DEFAULT_VALIDITY_CAPS, DISPOSABLE_ENVIRONMENTS, ENVIRONMENTS, GRANT_TYPES, PROTECTED_ENVIRONMENTS, ROTATABLE_SECRETS, type Environment, type RotatableSecret } from "./constants";
import type { OtherStackNames } from "./other-stacks";
import { environmentRules, secretRules } from "./rules";
import type { EnvFileGitStatus } from "./rules/handoff";
import { secretInput } from "./secret-value";

/**
 * What the schema needs to know besides the values: which settings were set with `--secret` (so a secret typed in
 * plain text is refused) and the stack name (the default environment).
 */
export interface ConfigContext {
    readonly stack: string;
    /** `--path` names (without the project namespace) of the nodes set with `--secret`, e.g. `authentik.token`. */
    readonly secretPaths: ReadonlySet<string>;
    /** The project's other committed stack files (`Pulumi.<env>.yaml`): qa and prod share no name with them. */
    readonly otherStacks?: readonly OtherStackNames[];
    /** What git says of `handoff.envFile` (see project-files.ts); undefined: not asked. */
    readonly envFileGit?: EnvFileGitStatus;
    /** The local runtime runs this stack's Authentik (docker.ts): its bootstrap token stands in for `authentik.token`. */
    readonly runtimeAuthentik?: boolean;
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

/** A secret from stack config, kept a Pulumi secret from here on; that it was set as one is checked in rules.ts. */
const secretSetting = () => z.string().min(1, "must not be empty").transform((value): SecretInput => secretInput(value));

const appSchema = z.strictObject({
    /** Short name of the app; prefixes database, role and Authentik object names. */
    name: slug,
    /** Human-readable name shown in Authentik. Default: `name`. */
    displayName: z.string().min(1).max(100).optional(),
    /** Where users reach the app. */
    publicUrl: httpUrl,
    /** OIDC redirect URIs, matched strictly. Default: `<publicUrl>/oauth/callback`. */
    redirectUris: z.array(httpUrl).min(1).optional(),
    /** Where Authentik may send users after logout (redirect URIs of type `logout`). Default: `<publicUrl>/`. */
    logoutRedirectUris: z.array(httpUrl).min(1).optional(),
    /** Path of the callback used when `redirectUris` is not set. */
    callbackPath: z.string().startsWith("/").default("/oauth/callback"),
    /** What the app allows without login when OIDC is not configured (POLICY_NO_AUTH_DEFAULT); `allow_all` is refused in qa and prod. */
    noAuthPolicy: z.enum(["deny", "view_only", "allow_all"]).default("deny"),
    /** Filter projects and people by Authentik visibility and org groups (PROJECT_VISIBILITY_ENABLED). */
    projectVisibility: z.boolean().default(false),
});

function postgresSchema() {
    return z.strictObject({
        host: z.string().min(1).default("localhost"),
        port: port.default(5432),
        /** Role that creates databases and roles (CREATEDB, CREATEROLE or superuser). */
        adminUser: z.string().min(1).default("postgres"),
        adminPassword: secretSetting(),
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
    /** Name of the certificate key pair that signs tokens (RS256). Required: without one Authentik signs HS256. */
    signingKey: z
        .string()
        .min(1, "a signing key is required: without one Authentik signs ID tokens with HS256 (the client secret as key) instead of RS256")
        .default("authentik Self-signed Certificate"),
    accessCodeValidity: validity.default("minutes=1"),
    accessTokenValidity: validity.default("minutes=5"),
    refreshTokenValidity: validity.default("days=30"),
    /** What `sub` carries. Default `user_uuid`: the app pairs its users with Authentik's by UUID. */
    subMode: z
        .enum(["hashed_user_id", "user_id", "user_uuid", "user_username", "user_email", "user_upn"])
        .default("user_uuid"),
    /** OAuth2 grants the provider allows. Default: authorization_code and refresh_token; implicit/password refused in qa/prod. */
    grantTypes: z.array(z.enum(GRANT_TYPES)).min(1, "at least one grant type is required").default([...DEFAULT_GRANT_TYPES]),
    /** In qa and prod, a grant beyond authorization_code and refresh_token must be listed here with the reason it is needed. */
    allowGrants: z
        .array(z.strictObject({ grant: z.enum(GRANT_TYPES), reason: z.string().trim().min(1, "say why this grant is needed") }))
        .default([]),
    /** Longest token lifetimes qa and prod accept (Authentik durations). */
    validityCaps: z
        .strictObject({ accessToken: validity.default(DEFAULT_VALIDITY_CAPS.accessToken), refreshToken: validity.default(DEFAULT_VALIDITY_CAPS.refreshToken) })
        .default({ ...DEFAULT_VALIDITY_CAPS }),
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

function testUserSchema() {
    return z.strictObject({
        username: z.string().regex(/^[A-Za-z0-9@.+_-]{1,150}$/, "expected letters, digits and @.+-_ only"),
        name: z.string().min(1),
        email: z.email("expected an email address"),
        /** Role suffixes (admins, editors, viewers, …) or full group names. */
        groups: z.array(z.string().min(1)).default([]),
        password: secretSetting().optional(),
    });
}

function authentikSchema(tokenRequired: boolean) {
    return z.strictObject({
        url: httpUrl,
        /** The API token; not needed when the local runtime runs Authentik (Gatehouse's bootstrap token is used). */
        token: tokenRequired ? secretSetting() : secretSetting().optional(),
        /** Take over existing objects with the same natural key instead of failing on uniqueness. */
        adopt: z.boolean().default(false),
        /** In qa and prod, `adopt` names each object it takes over: `application <slug>`, `group <name>`, … */
        adoptConfirm: z.array(z.string().min(1)).optional(),
        flows: flowsSchema.default(flowsSchema.parse({})),
        oidc: oidcSchema.default(oidcSchema.parse({})),
        groups: groupsSchema.default(groupsSchema.parse({})),
        brand: brandSchema.optional(),
        /**
         * Who may open the application: groups (roles such as `admins`, or full group names), each bound to the
         * application; `everyone` binds none (refused in qa and prod). Default: every role group of the app.
         */
        access: z.union([z.literal("everyone"), z.array(z.string().min(1)).min(1, "list at least one group, or say everyone")]).optional(),
        testUsers: z.array(testUserSchema()).default([]),
        /** One fixed password for every test user (otherwise each gets a generated one). */
        testUserPassword: secretSetting().optional(),
        /** Files of blueprints/ applied through authentik's blueprint import API after Gatehouse's own objects, in order. */
        blueprints: z.array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*\.ya?ml$/, "expected a .yaml file name in blueprints/")).default([]),
    });
}

/**
 * Rotation counters by secret name (unknown names are reported with the list of valid ones, see format.ts), and
 * `maxAgeDays`: how old the client secret and database passwords may get before `npm run audit` fails them (default 90).
 */
const rotationSchema = z
    .strictObject({
        ...(Object.fromEntries(ROTATABLE_SECRETS.map((name) => [name, nonNegativeInt.optional()])) as Record<RotatableSecret, z.ZodOptional<typeof nonNegativeInt>>),
        maxAgeDays: z.number().int().min(1).optional(),
    })
    .default({});

const handoffSchema = z.strictObject({
    /** Write the app's environment to this file (mode 0600). Relative to the project directory. */
    envFile: z.string().min(1).optional(),
});

/** An image reference; rules/docker.ts refuses `latest` and untagged ones. */
const image = z.string().regex(/^[a-z0-9][A-Za-z0-9._/:@-]*$/, "expected an image reference such as postgres:18");

/**
 * The local docker runtime (infra/runtime/, docker.ts): PostgreSQL and Authentik in containers where the stack points
 * at them, and optionally the app. Default on in dev and test; refused in qa and prod. authentik 2026.8 needs no Redis.
 */
const dockerSchema = z.strictObject({
    /** Default: true in dev and test, false elsewhere (qa and prod refuse true). */
    enabled: z.boolean().optional(),
    /** Docker network of the containers. Default `gatehouse-<env>`. */
    network: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, "expected a docker network name").optional(),
    /** Host address the published ports bind to. Default 127.0.0.1: loopback only. */
    bindAddress: z.string().min(1).default(DOCKER_DEFAULTS.bindAddress),
    images: z
        .strictObject({ postgres: image.default(DOCKER_DEFAULTS.images.postgres), authentik: image.default(DOCKER_DEFAULTS.images.authentik) })
        .default({ ...DOCKER_DEFAULTS.images }),
    /** Host ports; `postgres.port` and the port of `authentik.url` equal to them put that service in the runtime. */
    ports: z.strictObject({ postgres: port.default(DOCKER_DEFAULTS.ports.postgres), authentik: port.default(DOCKER_DEFAULTS.ports.authentik) }).default({ ...DOCKER_DEFAULTS.ports }),
    /** The app's own container, given its `appEnv`; `port` (default: that of app.publicUrl) is published on the same host port. */
    app: z.strictObject({ image, port: port.optional() }).optional(),
});

/**
 * What `pulumi destroy` may do to stateful objects (databases and their roles, Authentik groups). `protect`: refuse
 * to delete them (default in qa and prod); `retainOnDelete`: leave them in place when the stack lets go of them
 * (default everywhere but local and test).
 */
const safetySchema = z.strictObject({
    protect: z.boolean().optional(),
    retainOnDelete: z.boolean().optional(),
});

const previewSchema = z.strictObject({
    /** Include this stack in pull-request previews. */
    enabled: z.boolean().default(true),
});

function baseSchema(ctx: ConfigContext) {
    const defaultEnvironment = (ENVIRONMENTS as readonly string[]).includes(ctx.stack) ? ctx.stack : undefined;
    return z.strictObject({
            // A stack named after an environment is that environment (so `prod` can never run as `dev`); any other
            // stack says which environment it is.
            environment: defaultEnvironment
                ? z
                      .enum(ENVIRONMENTS)
                      .default(defaultEnvironment as Environment)
                      .refine((env) => env === defaultEnvironment, `stack "${ctx.stack}" is the ${ctx.stack} environment; leave environment unset or set it to ${ctx.stack}`)
                : z.enum(ENVIRONMENTS),
            app: appSchema,
            postgres: postgresSchema(),
            authentik: authentikSchema(ctx.runtimeAuthentik !== true),
            rotation: rotationSchema,
            handoff: handoffSchema.default({}),
            docker: dockerSchema.default(dockerSchema.parse({})),
            preview: previewSchema.default(previewSchema.parse({})),
            safety: safetySchema.default({}),
    });
}

/** How stateful resources are kept: `safety` as set, else the environment's defaults. */
export interface StatefulOptions {
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
}

function statefulOptions(environment: Environment, safety: { protect?: boolean; retainOnDelete?: boolean }): StatefulOptions {
    return {
        protect: safety.protect ?? PROTECTED_ENVIRONMENTS.includes(environment),
        retainOnDelete: safety.retainOnDelete ?? !DISPOSABLE_ENVIRONMENTS.includes(environment),
    };
}

/** The validated settings as written, before derived names are added. */
export type BaseConfig = z.output<ReturnType<typeof baseSchema>>;

export function stackConfigSchema(ctx: ConfigContext) {
    return baseSchema(ctx)
        .superRefine((cfg, refine) => environmentRules(cfg, { otherStacks: ctx.otherStacks ?? [], envFileGit: ctx.envFileGit }, refine), { when: () => true })
        .superRefine((cfg, refine) => secretRules(cfg, ctx.secretPaths, refine), { when: () => true })
        .transform((cfg) => ({ ...cfg, docker: { ...cfg.docker, enabled: dockerEnabled(cfg) }, names: deriveNames(cfg), stateful: statefulOptions(cfg.environment, cfg.safety) }));
}

export type StackConfig = z.output<ReturnType<typeof stackConfigSchema>>;

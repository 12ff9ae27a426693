/** Environments a stack can be. `local` is the throwaway demo stack (embedded PostgreSQL, Authentik emulator). */
export const ENVIRONMENTS = ["local", "dev", "test", "qa", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** Seeded test users exist only where nobody real logs in. */
export const TEST_USER_ENVIRONMENTS: readonly Environment[] = ["local", "dev", "test"];

/**
 * Every generated secret, by the name `npm run rotate` and `rotation.<name>` in stack config use.
 * Bumping a counter replaces that secret; everything that consumes it follows in the same `pulumi up`.
 */
export const ROTATABLE_SECRETS = [
    "app-secret-key",
    "authentik-secret-key",
    "authentik-bootstrap-token",
    "authentik-bootstrap-password",
    "db-owner-password",
    "db-app-password",
    "db-authentik-password",
    "oidc-client-secret",
    "test-user-passwords",
] as const;
export type RotatableSecret = (typeof ROTATABLE_SECRETS)[number];

/**
 * Secrets a running Authentik reads from its own environment: rotating one changes nothing Authentik sees until it is
 * redeployed with the stack's new `authentikEnv` (and its database password stops working at once). Each with the
 * step it needs.
 */
export const AUTHENTIK_RUNTIME_SECRETS: Readonly<Partial<Record<RotatableSecret, string>>> = {
    "authentik-secret-key":
        "redeploy Authentik's server and worker with the new AUTHENTIK_SECRET_KEY (pulumi stack output --show-secrets authentikEnv); sessions and signed links made with the old key end",
    "authentik-bootstrap-token":
        "redeploy Authentik's worker with the new AUTHENTIK_BOOTSTRAP_TOKEN (pulumi stack output --show-secrets authentikEnv); the old token stays valid until then (a docker stack's `pulumi up` recreates the containers and sets the new key itself)",
    "authentik-bootstrap-password":
        "authentik reads AUTHENTIK_BOOTSTRAP_PASSWORD only on its first start: set akadmin's password to the new one (a docker stack's `pulumi up` recreates the worker and sets it itself)",
    "db-authentik-password":
        "redeploy Authentik now with the new AUTHENTIK_POSTGRESQL__PASSWORD (pulumi stack output --show-secrets authentikEnv): its database role already has the new password, so new connections with the old one fail",
};

/**
 * The app's roles, one Authentik group each (`<prefix>-<role>`). None is an Authentik superuser: these are roles
 * inside the app, and an app's super-admin has no business administering the identity provider itself.
 */
export const ROLE_GROUPS = ["super-admins", "admins", "editors", "viewers", "visibility-org", "visibility-assigned"] as const;

/** authentik's GrantTypeEnum (OAuth2Provider.grant_types). */
export const GRANT_TYPES = [
    "authorization_code",
    "refresh_token",
    "implicit",
    "hybrid",
    "client_credentials",
    "password",
    "urn:ietf:params:oauth:grant-type:device_code",
    "urn:ietf:params:oauth:grant-type:token-exchange",
] as const;
export type GrantType = (typeof GRANT_TYPES)[number];

/** What a browser login needs: the code and, with `offline_access`, a refresh token. */
export const DEFAULT_GRANT_TYPES: readonly GrantType[] = ["authorization_code", "refresh_token"];

/** Grants that hand tokens out without the authorization code's protections; refused in qa and prod. */
export const UNSAFE_GRANT_TYPES: readonly GrantType[] = ["implicit", "password"];

/** Where `docker.enabled` defaults to true (the local runtime, infra/runtime/); qa and prod refuse it. */
export const DOCKER_DEFAULT_ENVIRONMENTS: readonly Environment[] = ["dev", "test"];

/** Environments where people's real data lives: https only, no test fixtures, the grants and caps below enforced. */
export const PRODUCTION_LIKE: readonly Environment[] = ["qa", "prod"];

/** Caps on token lifetimes in qa and prod unless the stack file sets `authentik.oidc.validityCaps`. */
export const DEFAULT_VALIDITY_CAPS = { accessToken: "hours=1", refreshToken: "days=30" } as const;

/**
 * Shortest secret a stack may supply in qa and prod (admin password, Authentik token, fixed passwords): the guides ask
 * for 32+ random characters (Sentinel Auth's 32-byte session secret, SEQN's 32 characters, Auth's 32+ JWT key).
 */
export const MIN_SUPPLIED_SECRET_LENGTH = 32;

/** Shortest fixed test-user password anywhere (Rediflow's own seed uses 13 characters: `test-password`). */
export const MIN_TEST_USER_PASSWORD_LENGTH = 12;

/** Shortest generated secret that is not a test user's password (infra/secrets/policy.ts; checked by a test). */
export const MIN_GENERATED_SECRET_LENGTH = 32;

/** How old a generated client secret or database password may get before `audit` fails it (`rotation.maxAgeDays`). */
export const DEFAULT_ROTATION_MAX_AGE_DAYS = 90;

/** Where a stack's settings live when `pulumi … --config-file <file>` is used instead of Pulumi.<stack>.yaml. */
export const CONFIG_FILE_ENV = "GATEHOUSE_CONFIG_FILE";

/** Where `pulumi destroy` must be refused for databases and groups unless `safety.protect` says otherwise. */
export const PROTECTED_ENVIRONMENTS: readonly Environment[] = ["qa", "prod"];

/** Throwaway environments: only there does destroy drop databases and delete groups (`safety.retainOnDelete`). */
export const DISPOSABLE_ENVIRONMENTS: readonly Environment[] = ["local", "test"];

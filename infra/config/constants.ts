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
        "redeploy Authentik's worker with the new AUTHENTIK_BOOTSTRAP_TOKEN (pulumi stack output --show-secrets authentikEnv); the old token stays valid until then",
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

/** Environments where people's real data lives. */
export const PRODUCTION_LIKE: readonly Environment[] = ["qa", "prod"];

/** Where a stack's settings live when `pulumi … --config-file <file>` is used instead of Pulumi.<stack>.yaml. */
export const CONFIG_FILE_ENV = "GATEHOUSE_CONFIG_FILE";

/** Where `pulumi destroy` must be refused for databases and groups unless `safety.protect` says otherwise. */
export const PROTECTED_ENVIRONMENTS: readonly Environment[] = ["qa", "prod"];

/** Throwaway environments: only there does destroy drop databases and delete groups (`safety.retainOnDelete`). */
export const DISPOSABLE_ENVIRONMENTS: readonly Environment[] = ["local", "test"];

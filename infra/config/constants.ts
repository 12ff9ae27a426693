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

import type { RotatableSecret } from "../config/constants";

/** How each generated secret is shaped: long enough for its use, and free of characters that need escaping where it ends up. */
export interface SecretPolicy {
    readonly length: number;
    /** Extra characters besides letters and digits; empty = alphanumeric only. */
    readonly special: string;
}

// Alphanumerics only where a value lands inside URLs (DATABASE_URL) or is pasted into .env files unquoted.
// At most 72 characters: the random provider also computes a bcrypt hash of every password, and bcrypt refuses
// longer input ("password length exceeds 72 bytes").
export const SECRET_POLICIES: Readonly<Record<RotatableSecret, SecretPolicy>> = {
    "app-secret-key": { length: 64, special: "-_" },
    "authentik-secret-key": { length: 64, special: "-_" },
    "authentik-bootstrap-token": { length: 64, special: "" },
    "authentik-bootstrap-password": { length: 40, special: "" },
    "db-owner-password": { length: 40, special: "" },
    "db-app-password": { length: 40, special: "" },
    "db-authentik-password": { length: 40, special: "" },
    "oidc-client-secret": { length: 64, special: "" },
    // The key the test users' passwords are derived from (derive.ts), and the shape of each of those passwords.
    "test-user-passwords": { length: 24, special: "-_.!" },
};

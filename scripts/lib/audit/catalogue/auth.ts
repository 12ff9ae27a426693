/** The "Auth" security guide (AU): its pre-production and monitoring checklists, and the settings its text asks for. */
import { LIVE_TESTS, QA_PROD, T, type ChecklistItem } from "./types";

const oos = (id: string, item: string, how: string): ChecklistItem => ({ id, item, mapping: "out-of-scope", how });

export const AUTH: readonly ChecklistItem[] = [
    { id: "AU-01", item: "Generate strong JWT secret key (32+ characters)", mapping: "construction", how: "tokens are signed with the RSA key pair (RA-04); every generated secret is 32+ characters", test: T.auditUnit("every generated secret but test-user passwords is at least 32 characters") },
    oos("AU-02", "Enable encryption with Fernet key", "Auth's field-level encryption; Gatehouse's secrets are encrypted by Pulumi"),
    { id: "AU-03", item: "Configure PostgreSQL with strong password", mapping: "schema", how: "qa and prod refuse an admin password or Authentik token shorter than 32 characters (role passwords are generated)", test: T.hardening("qa and prod refuse supplied secrets shorter than 32 characters"), paths: ["postgres.adminPassword", "authentik.token"], environments: QA_PROD },
    { id: "AU-04", item: "Set up SSL/TLS certificates (sslmode)", mapping: "schema", how: "prod refuses postgres.sslMode other than verify-full, qa refuses disable", test: T.hardening("prod requires verify-full, qa at least require"), paths: ["postgres.sslMode"], environments: QA_PROD },
    oos("AU-05", "Configure CORS with specific origins", "a setting of the app"),
    oos("AU-06", "Enable audit logging", "Authentik's event log and the app's own"),
    { id: "AU-07", item: "Set up secrets management", mapping: "schema", how: "every secret setting must be set with --secret at its own path; generated ones are Pulumi secrets", test: T.schema("refuses a secret written in plain text and says how to set it"), paths: ["postgres.adminPassword", "authentik.token", "authentik.testUserPassword", "authentik.testUsers"] },
    oos("AU-08", "Disable debug mode", "a setting of the app (APP_ENV is handed over)"),
    oos("AU-09", "Configure rate limiting", "rate limiting is the app's and the proxy's"),
    oos("AU-10", "Set security headers", "response headers of the app or its proxy"),
    { id: "AU-11", item: "Review and minimize permissions", mapping: "audit-live", how: "no role of this stack can connect to another stack's database", test: LIVE_TESTS, check: "cross-database" },
    oos("AU-12", "Test authentication flows", "a sign-in, not an audit: npm run login -- --all-test-users (test/e2e/login.test.ts)"),
    oos("AU-13", "Set up monitoring and alerting", "monitoring is not Gatehouse's"),
    oos("AU-14", "Monitor failed authentication attempts", "Authentik's events; monitoring is not Gatehouse's"),
    oos("AU-15", "Alert on unusual permission grants", "monitoring is not Gatehouse's; pulumi refresh shows grants changed outside the stack"),
    oos("AU-16", "Track role/permission changes", "Pulumi's update history and Authentik's events"),
    oos("AU-17", "Monitor database connections", "monitoring is not Gatehouse's (postgres.connectionLimit caps them)"),
    oos("AU-18", "Set up log aggregation", "monitoring is not Gatehouse's"),
    oos("AU-19", "Configure automated backups", "backups belong to the database's operator"),
    oos("AU-20", "Test disaster recovery", "backups belong to the database's operator"),
    oos("AU-21", "Regular security audits", "scheduling is the operator's: run npm run audit -- --stack <env> --live"),
    { id: "AU-22", item: "Key rotation schedule", mapping: "audit-live", how: "as SQ-19: generated secrets younger than rotation.maxAgeDays", test: LIVE_TESTS, check: "secret-age" },
    oos("AU-23", "Dependency updates", "package-lock.json pins the dependencies; updating them is a review, not configuration"),
    { id: "AU-24", item: "Short-lived access tokens, longer refresh tokens", mapping: "schema", how: "qa and prod refuse access tokens over 1 hour and refresh tokens over 30 days (authentik.oidc.validityCaps)", test: T.hardening("qa and prod cap token lifetimes"), paths: ["authentik.oidc.accessTokenValidity", "authentik.oidc.refreshTokenValidity"], environments: QA_PROD },
    { id: "AU-25", item: "Grant minimal privileges (CONNECT, table DML only)", mapping: "construction", how: "the app role gets CONNECT, USAGE and DML, and default privileges for later tables, nothing else", test: T.postgres("cannot create roles or databases, nor change the schema") },
    { id: "AU-26", item: "Only the grants a browser login needs", mapping: "schema", how: "qa and prod refuse implicit and password, and any grant beyond the code and refresh token not in allowGrants with a reason", test: T.hardening("qa refuses grants beyond the browser's unless allowed with a reason"), paths: ["authentik.oidc.grantTypes", "authentik.oidc.allowGrants"], environments: QA_PROD },
    { id: "AU-27", item: "Client keys cryptographically random, never predictable or hardcoded", mapping: "construction", how: "the client secret is a generated 64-character RandomPassword; the client id is public by design", test: T.handoff("Authentik's provider holds the generated client secret, and the test user its generated password") },
];

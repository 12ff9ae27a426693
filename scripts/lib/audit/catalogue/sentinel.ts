/** Sentinel Auth's "Production Checklist" (SA), its summary checklist item by item. */
import { LIVE_TESTS, QA_PROD, T, type ChecklistItem } from "./types";

export const SENTINEL: readonly ChecklistItem[] = [
    { id: "SA-01", item: "SESSION_SECRET_KEY set to a random 32-byte string", mapping: "construction", how: "the app's SECRET_KEY is a generated 64-character secret", test: T.graph("generates each secret at least as long as its use requires") },
    { id: "SA-02", item: "Each consuming service registered with a strong key", mapping: "construction", how: "the app is a confidential OAuth2 client with a generated 64-character secret", test: T.handoff("Authentik's provider holds the generated client secret, and the test user its generated password") },
    { id: "SA-03", item: "COOKIE_SECURE=true", mapping: "construction", how: "APP_ENV qa/prod in the hand-off switches the app's secure cookies on", test: T.graph("exports the app's environment with every credential secret and the rest plain") },
    { id: "SA-04", item: "ALLOWED_HOSTS set to your domain(s)", mapping: "out-of-scope", how: "a setting of the app's web server; Gatehouse hands APP_URL over" },
    { id: "SA-05", item: "CORS_ORIGINS set to your frontend origin(s)", mapping: "out-of-scope", how: "a setting of the app; the identity side's counterpart, exact redirect URIs, is RA-07" },
    { id: "SA-06", item: "Service deployed behind a TLS-terminating reverse proxy", mapping: "schema", how: "qa and prod refuse any http URL, so the proxy must terminate TLS", test: T.hardening("prod refuses every http URL"), paths: ["app.publicUrl", "authentik.url"], environments: QA_PROD },
    { id: "SA-07", item: "Rate limiting configured for multi-worker (Redis backend)", mapping: "out-of-scope", how: "rate limiting is the app's and the proxy's" },
    { id: "SA-08", item: "Fresh JWT RSA key pair for production, not reused from development", mapping: "audit-live", how: "no provider of another stack on the same Authentik signs with this provider's key pair", test: LIVE_TESTS, check: "signing-key-unshared" },
    { id: "SA-09", item: "All previously-committed secrets rotated", mapping: "audit-live", how: "no current secret of the stack appears anywhere in the project's git history (git log -p, compared in memory)", test: LIVE_TESTS, check: "git-history" },
    { id: "SA-10", item: "Separate database credentials per environment", mapping: "schema", how: "qa and prod refuse role and database names of another environment's stack file, and adopt without adoptConfirm", test: T.hardening("qa and prod refuse a database or role another environment's stack file uses"), paths: ["postgres.roles", "postgres.databases", "authentik.adoptConfirm"], environments: QA_PROD },
];

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { otherStackNames } from "../../infra/config/other-stacks";
import { envFileGitStatus, readOtherStacks } from "../../infra/config/project-files";
import { readStackFile, withRequiredSecrets, type RawStackConfig, errorOf, parseRaw } from "./stack-file";

/**
 * Issue #13's refusals: what qa and prod refuse before anything is applied, each from a fixture (a committed stack
 * file with one change) with its exact message. docs/hardening.md maps each to the checklist items it serves.
 */
const root = join(__dirname, "..", "..");
const committed = (stack: string) => withRequiredSecrets(readStackFile(join(root, `Pulumi.${stack}.yaml`)));
const section = (cfg: RawStackConfig, key: string) => (cfg.raw[key] ??= {}) as Record<string, unknown>;
const oidc = (cfg: RawStackConfig) => (section(cfg, "authentik").oidc ??= {}) as Record<string, unknown>;

const refused = (stack: string, ...lines: string[]) =>
    [`Invalid configuration for stack "${stack}" (Pulumi.${stack}.yaml): ${lines.length} bad setting${lines.length === 1 ? "" : "s"}; nothing was applied.`, ...lines.map((l) => `  - ${l}`)].join("\n");

describe("qa and prod refusals", () => {
    it("qa refuses every http URL", () => {
        const cfg = committed("qa");
        Object.assign(section(cfg, "app"), { publicUrl: "http://qa.acme.example", redirectUris: ["http://qa.acme.example/cb"], logoutRedirectUris: ["http://qa.acme.example/"] });
        section(cfg, "authentik").url = "http://auth.qa.acme.example";
        oidc(cfg).launchUrl = "http://qa.acme.example/start";
        expect(errorOf("qa", cfg)).toBe(
            refused(
                "qa",
                "app.publicUrl: expected an https URL in qa",
                "app.redirectUris[0]: expected an https URL in qa",
                "authentik.url: expected an https URL in qa",
                "app.logoutRedirectUris[0]: expected an https URL in qa",
                "authentik.oidc.launchUrl: expected an https URL in qa",
            ),
        );
    });

    it("prod refuses every http URL", () => {
        const cfg = committed("prod");
        oidc(cfg).launchUrl = "http://acme.example/start";
        expect(errorOf("prod", cfg)).toBe(refused("prod", "authentik.oidc.launchUrl: expected an https URL in prod"));
    });

    it("qa and prod refuse test users", () => {
        const cfg = committed("qa");
        section(cfg, "authentik").testUsers = [{ username: "t", name: "T", email: "t@example.test" }];
        expect(errorOf("qa", cfg)).toBe(refused("qa", "authentik.testUsers: test users are refused in qa"));
    });

    it("qa and prod refuse noAuthPolicy allow_all", () => {
        const cfg = committed("qa");
        section(cfg, "app").noAuthPolicy = "allow_all";
        expect(errorOf("qa", cfg)).toBe(refused("qa", "app.noAuthPolicy: allow_all lets anyone act as admin; refused in qa"));
    });

    it("refuses wildcard and regex redirect URIs everywhere", () => {
        const cfg = committed("dev");
        Object.assign(section(cfg, "app"), { redirectUris: ["https://*.acme.example/cb", "https://acme.example/(cb|callback)"], logoutRedirectUris: ["https://acme.example/(en|de)/"] });
        expect(errorOf("dev", cfg)).toBe(
            refused(
                "dev",
                "app.redirectUris[0]: wildcards are not allowed; list each redirect URI exactly",
                "app.redirectUris[1]: looks like a regular expression; redirect URIs are matched strictly, so list each one exactly",
                "app.logoutRedirectUris[0]: looks like a regular expression; redirect URIs are matched strictly, so list each one exactly",
            ),
        );
    });

    it("qa refuses grants beyond the browser's unless allowed with a reason", () => {
        const cfg = committed("qa");
        Object.assign(oidc(cfg), { grantTypes: ["authorization_code", "refresh_token", "client_credentials", "urn:ietf:params:oauth:grant-type:device_code"], allowGrants: [{ grant: "client_credentials", reason: "the nightly export job signs in as itself" }] });
        expect(errorOf("qa", cfg)).toBe(refused("qa", "authentik.oidc.grantTypes[3]: the urn:ietf:params:oauth:grant-type:device_code grant is refused in qa unless authentik.oidc.allowGrants lists it with a reason"));
        oidc(cfg).grantTypes = ["authorization_code", "client_credentials"];
        expect(parseRaw("qa", cfg).authentik.oidc.allowGrants).toEqual([{ grant: "client_credentials", reason: "the nightly export job signs in as itself" }]);
    });

    it("qa and prod never allow the implicit or password grant, nor a grant without a reason", () => {
        const cfg = committed("prod");
        Object.assign(oidc(cfg), { grantTypes: ["authorization_code", "implicit"], allowGrants: [{ grant: "implicit", reason: "legacy SPA" }, { grant: "password", reason: " " }] });
        expect(errorOf("prod", cfg)).toBe(
            refused(
                "prod",
                "authentik.oidc.allowGrants[1].reason: say why this grant is needed",
                "authentik.oidc.grantTypes[1]: the implicit grant hands out tokens without the authorization code's protections; refused in prod",
                "authentik.oidc.allowGrants[0].grant: the implicit grant cannot be allowed in prod: it hands out tokens without the authorization code's protections",
                "authentik.oidc.allowGrants[1].grant: the password grant cannot be allowed in prod: it hands out tokens without the authorization code's protections",
            ),
        );
    });

    it("qa and prod cap token lifetimes", () => {
        const cfg = committed("prod");
        Object.assign(oidc(cfg), { accessTokenValidity: "hours=1;minutes=1", refreshTokenValidity: "weeks=5" });
        expect(errorOf("prod", cfg)).toBe(
            refused(
                "prod",
                "authentik.oidc.accessTokenValidity: longer than the access token cap in prod (authentik.oidc.validityCaps.accessToken, default hours=1)",
                "authentik.oidc.refreshTokenValidity: longer than the refresh token cap in prod (authentik.oidc.validityCaps.refreshToken, default days=30)",
            ),
        );
        oidc(cfg).validityCaps = { accessToken: "hours=2", refreshToken: "days=60" };
        expect(parseRaw("prod", cfg).authentik.oidc.accessTokenValidity).toBe("hours=1;minutes=1");
    });

    it("prod requires verify-full, qa at least require", () => {
        const prod = committed("prod");
        section(prod, "postgres").sslMode = "require";
        expect(errorOf("prod", prod)).toBe(refused("prod", "postgres.sslMode: expected verify-full in prod: TLS with the server's certificate and host name verified"));
        const qa = committed("qa");
        section(qa, "postgres").sslMode = "disable";
        expect(errorOf("qa", qa)).toBe(refused("qa", "postgres.sslMode: TLS to PostgreSQL is required in qa (require, verify-ca or verify-full)"));
    });

    it("qa and prod refuse supplied secrets shorter than 32 characters", () => {
        const cfg = committed("qa");
        section(cfg, "postgres").adminPassword = "short-admin-password";
        section(cfg, "authentik").token = "short-token";
        const message = errorOf("qa", cfg);
        expect(message).toBe(
            refused(
                "qa",
                "postgres.adminPassword: must be at least 32 characters in qa (the guides ask for 32+ random characters)",
                "authentik.token: must be at least 32 characters in qa (the guides ask for 32+ random characters)",
            ),
        );
        expect(message).not.toContain("short-");
    });

    it("refuses a fixed test-user password shorter than 12 characters everywhere", () => {
        const cfg = committed("dev");
        section(cfg, "authentik").testUserPassword = "test-pw";
        cfg.secretPaths.add("authentik.testUserPassword");
        expect(errorOf("dev", cfg)).toBe(refused("dev", "authentik.testUserPassword: must be at least 12 characters"));
    });

    it("qa and prod refuse a database or role another environment's stack file uses", () => {
        const cfg = committed("qa");
        section(cfg, "postgres").roles = { app: "acme_dev_app" };
        section(cfg, "postgres").databases = { authentik: "authentik_prod" };
        const otherStacks = readOtherStacks(root, "qa", "gatehouse");
        expect(otherStacks.map((s) => s.file)).toEqual(["Pulumi.dev.yaml", "Pulumi.test.yaml", "Pulumi.prod.yaml"]);
        expect(errorOf("qa", cfg, { otherStacks })).toBe(
            refused(
                "qa",
                "postgres.databases.authentik: this database name is also Pulumi.prod.yaml's (prod); give each environment its own",
                "postgres.roles.app: this role name is also Pulumi.dev.yaml's (dev); give each environment its own",
            ),
        );
    });

    it("refuses a provider without a signing key", () => {
        const cfg = committed("prod");
        oidc(cfg).signingKey = "";
        expect(errorOf("prod", cfg)).toBe(refused("prod", "authentik.oidc.signingKey: a signing key is required: without one Authentik signs ID tokens with HS256 (the client secret as key) instead of RS256"));
    });

    it("qa and prod refuse adopt without adoptConfirm naming the objects", () => {
        const cfg = committed("prod");
        section(cfg, "authentik").adopt = true;
        expect(errorOf("prod", cfg)).toBe(refused("prod", 'authentik.adoptConfirm: adopt takes over existing Authentik objects by name; in prod list each one to take over (e.g. "group <name>", "application <slug>")'));
        section(cfg, "authentik").adoptConfirm = ["group acme-admins", "application acme", "group acme-authors"];
        expect(errorOf("prod", cfg)).toBe(
            refused(
                "prod",
                "authentik.adoptConfirm[2]: names no object of this stack; expected one of: application acme, provider acme, group acme-super-admins, group acme-admins, group acme-editors, group acme-viewers, group acme-visibility-org, group acme-visibility-assigned, group acme-org-ACR, group acme-org-BCD, brand auth.acme.example",
            ),
        );
    });

    it("qa and prod refuse an env file git would not ignore; outside a git checkout it is allowed", () => {
        const cfg = committed("qa");
        section(cfg, "handoff").envFile = "deploy/qa.env";
        expect(envFileGitStatus(root, "deploy/qa.env")).toBe("not-ignored");
        expect(errorOf("qa", cfg, { envFileGit: envFileGitStatus(root, "deploy/qa.env") })).toBe(
            refused("qa", "handoff.envFile: git would not ignore this file, and it holds the app's secrets: add it to .gitignore"),
        );
        expect(envFileGitStatus(root, ".env.qa")).toBe("ignored");
        const outside = mkdtempSync(join(tmpdir(), "gatehouse-nogit-"));
        try {
            expect(envFileGitStatus(outside, ".env.qa")).toBe("no-git");
            expect(parseRaw("qa", cfg, { envFileGit: "no-git" }).handoff.envFile).toBe("deploy/qa.env");
        } finally {
            rmSync(outside, { recursive: true, force: true });
        }
    });

    it("qa and prod refuse access for everyone", () => {
        const cfg = committed("qa");
        section(cfg, "authentik").access = "everyone";
        expect(errorOf("qa", cfg)).toBe(refused("qa", "authentik.access: everyone lets every user of the Authentik instance open the app; refused in qa"));
    });
});

describe("the committed stack files as the isolation rule reads them", () => {
    it("derives each file's PostgreSQL names from its text", () => {
        expect(otherStackNames("dev", "config:\n  gatehouse:app:\n    name: acme\n", "gatehouse")).toEqual({
            file: "Pulumi.dev.yaml",
            environment: "dev",
            names: { appDatabase: "acme_dev", authentikDatabase: "authentik_dev", ownerRole: "acme_dev_owner", appRole: "acme_dev_app", authentikRole: "authentik_dev" },
        });
        expect(otherStackNames("dev", "config: {}\n", "gatehouse")).toBeUndefined();
    });
});

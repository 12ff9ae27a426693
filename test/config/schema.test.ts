import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { readStackFile, withRequiredSecrets, type RawStackConfig, errorOf, parseRaw } from "./stack-file";

const root = join(__dirname, "..", "..");
const stackFile = (stack: string) => readStackFile(join(root, `Pulumi.${stack}.yaml`));
const fixture = (name: string) => readStackFile(join(__dirname, "fixtures", `${name}.yaml`));

const parse = parseRaw;


describe("committed stack files", () => {
    it.each(["dev", "test", "qa", "prod"])("Pulumi.%s.yaml is valid once its secrets are set", (stack) => {
        const cfg = parse(stack, withRequiredSecrets(stackFile(stack)));
        expect(cfg.environment).toBe(stack);
        expect(cfg.names.appDatabase).toBe(`acme_${stack}`);
        expect(cfg.names.authentikDatabase).toBe(`authentik_${stack}`);
        expect(cfg.names.ownerRole).toBe(`acme_${stack}_owner`);
        expect(cfg.names.appRole).toBe(`acme_${stack}_app`);
        expect(cfg.names.authentikRole).toBe(`authentik_${stack}`);
        expect(cfg.names.clientId).toBe(stack === "prod" ? "acme" : `acme-${stack}`);
        expect(cfg.names.applicationSlug).toBe(stack === "prod" ? "acme" : `acme-${stack}`);
        expect(cfg.names.groupPrefix).toBe(stack === "prod" ? "acme" : `acme-${stack}`);
    });

    it("Pulumi.dev.yaml without its secrets names the admin password (its runtime's Authentik takes the bootstrap token)", () => {
        expect(errorOf("dev", stackFile("dev"))).toBe(
            [
                `Invalid configuration for stack "dev" (Pulumi.dev.yaml): 1 bad setting; nothing was applied.`,
                "  - postgres.adminPassword: required",
            ].join("\n"),
        );
    });

    it("dev stays short: defaults fill in ports, flows, signing key and validity", () => {
        const cfg = parse("dev", withRequiredSecrets(stackFile("dev")));
        expect(cfg.postgres.port).toBe(5432);
        expect(cfg.postgres.adminUser).toBe("postgres");
        expect(cfg.authentik.flows).toEqual({
            authorization: "default-provider-authorization-implicit-consent",
            invalidation: "default-provider-invalidation-flow",
        });
        expect(cfg.authentik.oidc.signingKey).toBe("authentik Self-signed Certificate");
        expect(cfg.authentik.oidc.accessTokenValidity).toBe("minutes=5");
        expect(cfg.authentik.testUsers.map((u) => u.username)).toEqual(["alice", "eddie", "victor"]);
        expect(cfg.rotation).toEqual({});
        expect(cfg.docker.enabled).toBe(true);
    });
});

describe("secrets", () => {
    it("refuses a secret written in plain text and says how to set it", () => {
        const cfg = withRequiredSecrets(stackFile("dev"));
        cfg.secretPaths.delete("postgres.adminPassword");
        expect(errorOf("dev", cfg)).toBe(
            [
                `Invalid configuration for stack "dev" (Pulumi.dev.yaml): 1 bad setting; nothing was applied.`,
                "  - postgres.adminPassword: must be set as a secret: pulumi config set --secret --path postgres.adminPassword <value>",
            ].join("\n"),
        );
    });

    it("checks every secret setting at its own path: a plain password beside a secret token is refused", () => {
        const cfg = withRequiredSecrets(stackFile("dev"));
        const authentik = cfg.raw.authentik as Record<string, unknown>;
        authentik.testUserPassword = "plain-typed-password";
        authentik.testUsers = (authentik.testUsers as Record<string, unknown>[]).map((u, i) => (i === 1 ? { ...u, password: "plain-typed-too" } : u));
        expect(errorOf("dev", cfg)).toBe(
            [
                `Invalid configuration for stack "dev" (Pulumi.dev.yaml): 2 bad settings; nothing was applied.`,
                "  - authentik.testUserPassword: must be set as a secret: pulumi config set --secret --path authentik.testUserPassword <value>",
                "  - authentik.testUsers[1].password: must be set as a secret: pulumi config set --secret --path authentik.testUsers[1].password <value>",
            ].join("\n"),
        );
        cfg.secretPaths.add("authentik.testUserPassword").add("authentik.testUsers[1].password");
        expect(parse("dev", cfg).authentik.testUsers[1]?.username).toBe("eddie");
    });

    it("takes a whole object set with --secret as secret in every setting inside it", () => {
        const cfg = withRequiredSecrets(stackFile("dev"));
        (cfg.raw.authentik as Record<string, unknown>).testUserPassword = "in-a-secret-object";
        cfg.secretPaths.add("authentik");
        expect(parse("dev", cfg).authentik.testUserPassword).toBeDefined();
    });

    it("never echoes a secret value in an error", () => {
        const cfg = withRequiredSecrets(stackFile("prod"));
        (cfg.raw.postgres as Record<string, unknown>).adminPassword = "hunter2-very-secret";
        cfg.secretPaths.delete("postgres.adminPassword");
        (cfg.raw.postgres as Record<string, unknown>).port = "hunter2-very-secret";
        expect(errorOf("prod", cfg)).not.toContain("hunter2");
    });

    it("hands secrets to components as Pulumi secrets", async () => {
        const cfg = parse("dev", withRequiredSecrets(stackFile("dev")));
        expect(pulumi.Output.isInstance(cfg.postgres.adminPassword)).toBe(true);
        expect(await pulumi.isSecret(cfg.postgres.adminPassword)).toBe(true);
        expect(await pulumi.isSecret(cfg.authentik.token!)).toBe(true);
    });
});

describe("invalid fixtures", () => {
    it("prod refuses plain http, test users, allow-all access, PostgreSQL without verify-full, the docker runtime and short secrets, listing every key", () => {
        expect(errorOf("prod", fixture("prod-insecure"))).toBe(
            [
                `Invalid configuration for stack "prod" (Pulumi.prod.yaml): 10 bad settings; nothing was applied.`,
                "  - app.redirectUris[1]: wildcards are not allowed; list each redirect URI exactly",
                "  - app.publicUrl: expected an https URL in prod",
                "  - app.redirectUris[0]: expected an https URL in prod",
                "  - authentik.url: expected an https URL in prod",
                "  - authentik.testUsers: test users are refused in prod",
                "  - app.noAuthPolicy: allow_all lets anyone act as admin; refused in prod",
                "  - postgres.sslMode: expected verify-full in prod: TLS with the server's certificate and host name verified",
                "  - docker.enabled: the local docker runtime is for dev and test only",
                // The fixture's secrets stand in as 16 characters: too short for prod.
                "  - postgres.adminPassword: must be at least 32 characters in prod (the guides ask for 32+ random characters)",
                "  - authentik.token: must be at least 32 characters in prod (the guides ask for 32+ random characters)",
            ].join("\n"),
        );
    });

    it("names unknown settings, wrong types, bad enums and unknown rotation names by path", () => {
        expect(errorOf("dev", fixture("dev-typos"))).toBe(
            [
                `Invalid configuration for stack "dev" (Pulumi.dev.yaml): 7 bad settings; nothing was applied.`,
                "  - environment: expected one of local, dev, test, qa, prod",
                "  - app.publicUrl: expected an http(s) URL",
                "  - app.nmae: unknown setting",
                "  - postgres.port: expected a number",
                "  - authentik.testUsers[0].email: expected an email address",
                "  - rotation.oidc-secret: unknown secret; expected one of app-secret-key, authentik-secret-key, authentik-bootstrap-token, authentik-bootstrap-password, db-owner-password, db-app-password, db-authentik-password, oidc-client-secret, test-user-passwords",
                "  - colour: unknown setting",
            ].join("\n"),
        );
    });

    it("a stack named after an environment is that environment", () => {
        const cfg = withRequiredSecrets(stackFile("prod"));
        cfg.raw.environment = "dev";
        expect(errorOf("prod", cfg)).toBe(
            [
                `Invalid configuration for stack "prod" (Pulumi.prod.yaml): 1 bad setting; nothing was applied.`,
                '  - environment: stack "prod" is the prod environment; leave environment unset or set it to prod',
            ].join("\n"),
        );
        cfg.raw.environment = "prod";
        expect(parse("prod", cfg).environment).toBe("prod");
    });

    it("a stack name that is no environment needs `environment` set", () => {
        const cfg = withRequiredSecrets(stackFile("dev"));
        expect(errorOf("feature-x", cfg)).toContain("  - environment: expected one of local, dev, test, qa, prod");
        cfg.raw.environment = "test";
        expect(parse("feature-x", cfg).names.appDatabase).toBe("acme_test");
    });

    it("applies the environment rules even when other settings are invalid, so every bad key is listed at once", () => {
        const cfg = stackFile("prod");
        (cfg.raw.app as Record<string, unknown>).publicUrl = "http://acme.example";
        expect(errorOf("prod", cfg)).toBe(
            [
                `Invalid configuration for stack "prod" (Pulumi.prod.yaml): 3 bad settings; nothing was applied.`,
                "  - postgres.adminPassword: required",
                "  - authentik.token: required",
                "  - app.publicUrl: expected an https URL in prod",
            ].join("\n"),
        );
    });

    it("qa refuses test users too", () => {
        const cfg = withRequiredSecrets(stackFile("qa"));
        (cfg.raw.authentik as Record<string, unknown>).testUsers = [{ username: "t", name: "T", email: "t@example.test" }];
        expect(errorOf("qa", cfg)).toContain("  - authentik.testUsers: test users are refused in qa");
    });

    it("derives names that PostgreSQL accepts from a hyphenated app name", () => {
        const cfg = withRequiredSecrets(stackFile("dev"));
        (cfg.raw.app as Record<string, unknown>).name = "acme-crm";
        const parsed = parse("dev", cfg);
        expect(parsed.names.appDatabase).toBe("acme_crm_dev");
        expect(parsed.names.appRole).toBe("acme_crm_dev_app");
        expect(parsed.names.groupPrefix).toBe("acme-crm-dev");
    });
});

describe("sign-in settings", () => {
    const dev = () => withRequiredSecrets(stackFile("dev"));
    const authentik = (cfg: RawStackConfig) => cfg.raw.authentik as Record<string, unknown>;

    it("defaults: the browser grants, sub = the user's UUID, logout back to the app, every role group admitted", () => {
        const cfg = parse("dev", dev());
        expect(cfg.authentik.oidc.grantTypes).toEqual(["authorization_code", "refresh_token"]);
        expect(cfg.authentik.oidc.subMode).toBe("user_uuid");
        expect(cfg.app.logoutRedirectUris).toBeUndefined();
        expect(cfg.authentik.access).toBeUndefined();
    });

    it("refuses an unknown grant type", () => {
        const cfg = dev();
        authentik(cfg).oidc = { grantTypes: ["authorization_code", "magic_link"] };
        expect(errorOf("dev", cfg)).toBe(
            [
                `Invalid configuration for stack "dev" (Pulumi.dev.yaml): 1 bad setting; nothing was applied.`,
                "  - authentik.oidc.grantTypes[1]: expected one of authorization_code, refresh_token, implicit, hybrid, client_credentials, password, urn:ietf:params:oauth:grant-type:device_code, urn:ietf:params:oauth:grant-type:token-exchange",
            ].join("\n"),
        );
    });

    it("allows the implicit and password grants only outside qa and prod", () => {
        const cfg = withRequiredSecrets(stackFile("qa"));
        authentik(cfg).oidc = { grantTypes: ["authorization_code", "implicit", "password"] };
        expect(errorOf("qa", cfg)).toBe(
            [
                `Invalid configuration for stack "qa" (Pulumi.qa.yaml): 2 bad settings; nothing was applied.`,
                "  - authentik.oidc.grantTypes[1]: the implicit grant hands out tokens without the authorization code's protections; refused in qa",
                "  - authentik.oidc.grantTypes[2]: the password grant hands out tokens without the authorization code's protections; refused in qa",
            ].join("\n"),
        );
        const devCfg = dev();
        authentik(devCfg).oidc = { grantTypes: ["authorization_code", "password"] };
        expect(parse("dev", devCfg).authentik.oidc.grantTypes).toEqual(["authorization_code", "password"]);
    });

    it("refuses an access entry naming a group the stack does not declare", () => {
        const cfg = dev();
        authentik(cfg).access = ["admins", "acme-dev-org-ACR", "authors"];
        expect(errorOf("dev", cfg)).toBe(
            [
                `Invalid configuration for stack "dev" (Pulumi.dev.yaml): 1 bad setting; nothing was applied.`,
                '  - authentik.access[2]: "authors" is not a group of this stack; expected one of: super-admins, admins, editors, viewers, visibility-org, visibility-assigned, org-ACR, org-BCD (or the full names acme-dev-super-admins, acme-dev-admins, acme-dev-editors, acme-dev-viewers, acme-dev-visibility-org, acme-dev-visibility-assigned, acme-dev-org-ACR, acme-dev-org-BCD)',
            ].join("\n"),
        );
    });

    it("admits everyone only outside prod", () => {
        const cfg = dev();
        authentik(cfg).access = "everyone";
        expect(parse("dev", cfg).authentik.access).toBe("everyone");
        const prod = withRequiredSecrets(stackFile("prod"));
        authentik(prod).access = "everyone";
        expect(errorOf("prod", prod)).toContain("  - authentik.access: everyone lets every user of the Authentik instance open the app; refused in prod");
    });

    it("refuses a logout URI that is not http(s), and plain http in prod", () => {
        const cfg = dev();
        (cfg.raw.app as Record<string, unknown>).logoutRedirectUris = ["javascript:alert(1)"];
        expect(errorOf("dev", cfg)).toContain("  - app.logoutRedirectUris[0]: expected an http(s) URL");
        const prod = withRequiredSecrets(stackFile("prod"));
        (prod.raw.app as Record<string, unknown>).logoutRedirectUris = ["http://acme.example/"];
        expect(errorOf("prod", prod)).toBe(
            [
                `Invalid configuration for stack "prod" (Pulumi.prod.yaml): 1 bad setting; nothing was applied.`,
                "  - app.logoutRedirectUris[0]: expected an https URL in prod",
            ].join("\n"),
        );
    });
});

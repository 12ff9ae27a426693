import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { settled, unwrapSecrets } from "../../test/harness/mocks";
import { readStackFile, withRequiredSecrets } from "../../test/config/stack-file";

interface Recorded {
    readonly type: string;
    readonly name: string;
    readonly id?: string;
    /** Inputs as sent, secrets in Pulumi's wire form. */
    readonly raw: Record<string, unknown>;
    readonly inputs: Record<string, unknown>;
}

const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const CLIENT_SECRET = "client-secret-from-random-password";
const TOKEN = "authentik-token-secret";
const recorded: Recorded[] = [];

pulumi.runtime.setMocks(
    {
        newResource(args: pulumi.runtime.MockResourceArgs) {
            const inputs = unwrapSecrets(args.inputs) as Record<string, unknown>;
            recorded.push({ type: args.type, name: args.name, ...(args.id !== undefined && { id: args.id }), raw: args.inputs as Record<string, unknown>, inputs });
            // Every object gets a pk, as Authentik would answer, and its id is that pk (a lookup's id is its own).
            const state: Record<string, unknown> = { ...args.inputs, pk: `pk-of-${args.name}` };
            if (args.type.endsWith(":OAuth2Provider")) state.pk = 7;
            return { id: args.id || String(state.pk), state };
        },
        call: (args: pulumi.runtime.MockCallArgs) => args.inputs,
    },
    "gatehouse",
    "dev",
    false,
);

const PROJECT_DIR = resolve(__dirname, "..", "..");
let app: import("./oidc-app").AuthentikOidcApp;
let directory: import("./directory").AuthentikDirectory;

beforeAll(async () => {
    // Import after the mocks are set, as Pulumi's mock testing requires.
    const { parseStackConfig } = await import("../config/parse");
    const { AuthentikAccess, AuthentikOidcApp, AuthentikDirectory, accessArgs, oidcAppArgs, directoryArgs } = await import("./index");
    const file = withRequiredSecrets(readStackFile(join(PROJECT_DIR, "Pulumi.dev.yaml")));
    const config = parseStackConfig(file.raw, { stack: "dev", secretPaths: file.secretPaths });
    const passwords = Object.fromEntries(config.authentik.testUsers.map((u) => [u.username, pulumi.secret(`pw-${u.username}`)]));
    app = new AuthentikOidcApp("gatehouse-dev-oidc", oidcAppArgs(config, pulumi.secret(CLIENT_SECRET)));
    directory = new AuthentikDirectory("gatehouse-dev-directory", directoryArgs(config, passwords));
    new AuthentikAccess("gatehouse-dev-access", accessArgs(config, app.applicationPk, directory.groups));
    await settled(recorded);
});

const ofType = (kind: string) => recorded.filter((r) => r.type === `pulumi-nodejs:dynamic/authentik:${kind}`);
const named = (name: string) => {
    const found = recorded.find((r) => r.name === name);
    if (found === undefined) throw new Error(`no resource ${name}; have ${recorded.map((r) => r.name).join(", ")}`);
    return found;
};

describe("AuthentikOidcApp graph (dev stack)", () => {
    it("looks up flows, the signing key and the managed scopes as reads, never creating them", () => {
        const reads = recorded.filter((r) => r.type.endsWith("Lookup")).map((r) => [r.name, r.id]);
        expect(reads).toEqual(
            expect.arrayContaining([
                ["gatehouse-dev-oidc-authorization-flow", "flow:default-provider-authorization-implicit-consent"],
                ["gatehouse-dev-oidc-invalidation-flow", "flow:default-provider-invalidation-flow"],
                ["gatehouse-dev-oidc-signing-key", "certificate-key-pair:authentik Self-signed Certificate"],
                ["gatehouse-dev-oidc-scope-openid", "scope-mapping:goauthentik.io/providers/oauth2/scope-openid"],
                ["gatehouse-dev-oidc-scope-email", "scope-mapping:goauthentik.io/providers/oauth2/scope-email"],
                ["gatehouse-dev-oidc-scope-offline_access", "scope-mapping:goauthentik.io/providers/oauth2/scope-offline_access"],
            ]),
        );
        expect(reads).toHaveLength(6);
    });

    it("declares a confidential provider with our client id, strict redirect and logout URIs, the browser grants, a signing key and five scope mappings", () => {
        const provider = named("gatehouse-dev-oidc-provider").inputs;
        expect(provider).toMatchObject({
            url: "http://localhost:9000",
            adopt: false,
            name: "acme-dev",
            clientType: "confidential",
            clientId: "acme-dev",
            clientSecret: CLIENT_SECRET,
            redirectUris: ["http://localhost:5000/oauth/callback"],
            logoutRedirectUris: ["http://localhost:5000/"],
            grantTypes: ["authorization_code", "refresh_token"],
            authorizationFlow: "pk-of-gatehouse-dev-oidc-authorization-flow",
            invalidationFlow: "pk-of-gatehouse-dev-oidc-invalidation-flow",
            signingKey: "pk-of-gatehouse-dev-oidc-signing-key",
            accessCodeValidity: "minutes=1",
            accessTokenValidity: "minutes=5",
            refreshTokenValidity: "days=30",
            subMode: "user_uuid",
            includeClaimsInIdToken: true,
            issuerMode: "per_provider",
        });
        expect(provider.propertyMappings).toEqual([
            "pk-of-gatehouse-dev-oidc-scope-openid",
            "pk-of-gatehouse-dev-oidc-scope-email",
            "pk-of-gatehouse-dev-oidc-scope-offline_access",
            "pk-of-gatehouse-dev-oidc-profile-scope",
            "pk-of-gatehouse-dev-oidc-groups-scope",
        ]);
    });

    it("answers the profile scope without groups, so the groups claim has one source", () => {
        const profile = named("gatehouse-dev-oidc-profile-scope").inputs;
        expect(profile).toMatchObject({ name: "acme-dev-profile", scopeName: "profile" });
        expect(String(profile.expression)).toContain('"preferred_username": request.user.username');
        expect(String(profile.expression)).not.toContain("group");
    });

    it("sends the client secret as a secret and never the token", () => {
        const raw = named("gatehouse-dev-oidc-provider").raw.clientSecret as Record<string, unknown>;
        expect(raw[SECRET_SIG]).toBeDefined();
        for (const r of recorded) expect(JSON.stringify(r.inputs)).not.toContain(TOKEN);
    });

    it("maps the groups scope to every group name of the user", () => {
        expect(named("gatehouse-dev-oidc-groups-scope").inputs).toMatchObject({
            name: "acme-dev-groups",
            scopeName: "groups",
            expression: 'return {"groups": [group.name for group in request.user.all_groups()]}',
        });
    });

    it("binds the application to the provider with the slug, launch URL and policy engine mode", () => {
        expect(named("gatehouse-dev-oidc-application").inputs).toMatchObject({
            slug: "acme-dev",
            name: "acme",
            provider: 7,
            metaLaunchUrl: "http://localhost:5000",
            policyEngineMode: "any",
        });
    });

    it("outputs the per-provider issuer URL and a secret client secret", async () => {
        const issuer = await new Promise((done) => app.issuerUrl.apply(done));
        expect(issuer).toBe("http://localhost:9000/application/o/acme-dev/");
        expect(await pulumi.isSecret(app.clientSecret)).toBe(true);
    });
});

describe("AuthentikDirectory graph (dev stack)", () => {
    it("declares the role groups and one group per organisation, none of them Authentik superusers", () => {
        const groups = ofType("Group").map((g) => g.inputs.name);
        expect(groups.sort()).toEqual(
            [
                "acme-dev-admins",
                "acme-dev-editors",
                "acme-dev-org-ACR",
                "acme-dev-org-BCD",
                "acme-dev-super-admins",
                "acme-dev-viewers",
                "acme-dev-visibility-assigned",
                "acme-dev-visibility-org",
            ].sort(),
        );
        for (const g of ofType("Group")) expect(g.inputs.isSuperuser).toBeUndefined();
    });

    it("marks every group, user and the brand with the stack that owns it", () => {
        for (const r of [...ofType("Group"), ...ofType("User"), ...ofType("Brand")]) {
            expect(r.inputs.attributes).toEqual({ "gatehouse/owner": "gatehouse/dev" });
        }
    });

    it("seeds the test users into their groups, with secret passwords", () => {
        const eddie = named("gatehouse-dev-directory-user-eddie");
        expect(eddie.inputs).toMatchObject({ username: "eddie", name: "Eddie Editor", email: "eddie@example.test", path: "users/acme-dev-test", password: "pw-eddie" });
        expect(eddie.inputs.groups).toEqual(["pk-of-gatehouse-dev-directory-group-editors", "pk-of-gatehouse-dev-directory-group-org-ACR"]);
        expect((eddie.raw.password as Record<string, unknown>)[SECRET_SIG]).toBeDefined();
        expect(Object.keys(directory.testUsers).sort()).toEqual(["alice", "eddie", "victor"]);
    });

    it("brands the login pages with the files from branding/: images uploaded content-addressed, CSS inline", () => {
        const logo = named("gatehouse-dev-directory-brand-logo").inputs;
        expect(logo.name).toMatch(/^gatehouse\/acme-dev-logo-[0-9a-f]{12}\.svg$/);
        expect(logo.mimeType).toBe("image/svg+xml");
        expect(Buffer.from(String(logo.content), "base64").toString("utf8")).toContain("<svg");
        const brand = named("gatehouse-dev-directory-brand").inputs;
        expect(brand).toMatchObject({ domain: "localhost", title: "Acme (dev)", default: false, logo: logo.name });
        expect(String(brand.favicon)).toMatch(/^gatehouse\/acme-dev-favicon-[0-9a-f]{12}\.svg$/);
        expect(String(brand.customCss)).toContain(".pf-c-login__main");
    });
});

describe("AuthentikAccess graph (dev stack)", () => {
    it("binds every role group of the app to the application, in order, and nothing else", () => {
        const bindings = ofType("PolicyBinding").map((b) => [b.name, b.inputs.group, b.inputs.target, b.inputs.order]);
        const roles = ["super-admins", "admins", "editors", "viewers", "visibility-org", "visibility-assigned"];
        expect(bindings).toEqual(
            roles.map((role, i) => [`gatehouse-dev-access-${role}`, `pk-of-gatehouse-dev-directory-group-${role}`, "pk-of-gatehouse-dev-oidc-application", (i + 1) * 10]),
        );
    });
});

describe("serialized dynamic providers", () => {
    const providers = () => [...new Set(recorded.map((r) => String(r.raw.__provider)))];

    it("carry no token, secret, absolute path or schema", () => {
        expect(providers().length).toBeGreaterThanOrEqual(8);
        for (const text of providers()) {
            expect(text).not.toContain(TOKEN);
            expect(text).not.toContain(CLIENT_SECRET);
            expect(text).not.toContain(PROJECT_DIR);
            expect(text).not.toMatch(/zod/i);
            expect(text).not.toContain("__vite_ssr_dynamic_import__");
        }
    });

    it("load in plain node (no TypeScript loader) and run check there", () => {
        const dir = mkdtempSync(join(tmpdir(), "gatehouse-provider-"));
        const group = recorded.find((r) => r.type === "pulumi-nodejs:dynamic/authentik:Group")?.raw.__provider;
        expect(group).toBeDefined();
        const file = join(dir, "provider.js");
        writeFileSync(file, String(group));
        const script = `
            const text = require("fs").readFileSync(${JSON.stringify(file)}, "utf8");
            const provider = require("require-from-string")(text).handler();
            provider.check({}, { url: "http://authentik.test", name: "acme-dev-admins" }).then((r) => console.log(JSON.stringify(r)));
        `;
        const out = execFileSync("node", ["-e", script], { cwd: PROJECT_DIR, encoding: "utf8" });
        expect(JSON.parse(out)).toEqual({
            inputs: { url: "http://authentik.test", name: "acme-dev-admins", isSuperuser: false, parents: [], attributes: {}, adopt: false },
            failures: [],
        });
    });
});

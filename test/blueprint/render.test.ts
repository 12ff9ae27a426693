import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { renderBlueprint } from "../../infra/blueprint/render";
import { blueprintProblems } from "../../infra/blueprint/yaml";
import { parseStackConfig } from "../../infra/config/parse";
import { runBlueprint } from "../../scripts/lib/blueprint/command";
import { readStackFile, withRequiredSecrets } from "../config/stack-file";

const root = join(__dirname, "..", "..");
const stack = (name: string) => withRequiredSecrets(readStackFile(join(root, `Pulumi.${name}.yaml`)));

describe("npm run blueprint", () => {
    it("renders the dev stack's Authentik objects as an authentik blueprint (snapshot)", () => {
        expect(runBlueprint({ projectDir: root, stack: "dev" }).yaml).toMatchSnapshot();
    });

    it("uses authentik's model names, natural-key identifiers and only tags authentik knows", () => {
        const yaml = runBlueprint({ projectDir: root, stack: "dev" }).yaml;
        expect(blueprintProblems(yaml)).toEqual([]);
        const doc = parseDocument(yaml, { version: "1.1" }).toJS() as { version: number; metadata: { labels: Record<string, string> }; entries: { model: string; identifiers: Record<string, unknown> }[] };
        expect(doc.version).toBe(1);
        expect(doc.metadata.labels).toMatchObject({ "gatehouse/stack": "gatehouse/dev", "gatehouse/environment": "dev" });
        expect([...new Set(doc.entries.map((e) => e.model))]).toEqual([
            "authentik_core.group",
            "authentik_providers_oauth2.scopemapping",
            "authentik_providers_oauth2.oauth2provider",
            "authentik_core.application",
            "authentik_policies.policybinding",
            "authentik_brands.brand",
            "authentik_core.user",
        ]);
        expect(doc.entries.find((e) => e.model === "authentik_core.application")?.identifiers).toEqual({ slug: "acme-dev" });
    });

    it("writes no secret value: the client secret and passwords are !Env references", () => {
        const cfg = stack("dev");
        const authentik = cfg.raw.authentik as Record<string, unknown>;
        authentik.testUserPassword = "fixed-test-user-password-not-in-yaml";
        authentik.testUsers = (authentik.testUsers as Record<string, unknown>[]).map((u, i) => (i === 0 ? { ...u, password: "alices-own-password-not-in-yaml" } : u));
        cfg.secretPaths.add("authentik.testUserPassword").add("authentik.testUsers[0].password");
        const yaml = renderBlueprint(parseStackConfig(cfg.raw, { stack: "dev", secretPaths: cfg.secretPaths }), { project: "gatehouse", stack: "dev" });
        for (const secret of ["fixed-test-user-password-not-in-yaml", "alices-own-password-not-in-yaml", "pg-admin-secret-of-at-least-32-characters", "authentik-token-secret-of-at-least-32-characters"]) {
            expect(yaml).not.toContain(secret);
        }
        expect(yaml).toContain("client_secret: !Env GATEHOUSE_OIDC_CLIENT_SECRET");
        expect(yaml).toContain("password: !Env GATEHOUSE_TEST_USER_PASSWORD_ALICE");
    });

    it("renders prod without test users, and reads a stack file whose secrets are not set", () => {
        const yaml = runBlueprint({ projectDir: root, stack: "prod" }).yaml;
        expect(yaml).not.toContain("authentik_core.user");
        expect(yaml).toContain("slug: acme\n");
    });
});

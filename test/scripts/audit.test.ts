import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MIN_GENERATED_SECRET_LENGTH } from "../../infra/config/constants";
import { SECRET_POLICIES } from "../../infra/secrets/policy";
import { CHECKLIST } from "../../scripts/lib/audit/catalogue";
import { scrubReport, textLines, report } from "../../scripts/lib/audit/report";

const root = join(__dirname, "..", "..");
const MAPPING_LABELS: Record<string, string> = {
    construction: "by construction",
    schema: "refused by the config schema",
    "audit-config": "checked by audit (config)",
    "audit-live": "checked by audit (live)",
    "out-of-scope": "out of scope",
};

/** The item rows of docs/hardening.md: `| RF-01 | item | mapping | how | test |`. */
function docRows(): { id: string; mapping: string; test: string }[] {
    const text = readFileSync(join(root, "docs", "hardening.md"), "utf8");
    return text
        .split("\n")
        .filter((line) => /^\| [A-Z]{2}-\d{2} \|/.test(line))
        .map((line) => line.split(" | ").map((cell) => cell.replace(/^\| |\s*\|$/g, "").trim()))
        .map((cells) => ({ id: cells[0]!, mapping: cells[2]!, test: cells[4]! }));
}

describe("the checklist", () => {
    it("maps every item of docs/hardening.md to exactly one mapping, the same as audit uses, with a test for each that is not out of scope", () => {
        const rows = docRows();
        expect(rows.map((r) => r.id)).toEqual(CHECKLIST.map((i) => i.id));
        for (const item of CHECKLIST) {
            const row = rows.find((r) => r.id === item.id)!;
            expect(row.mapping, item.id).toBe(MAPPING_LABELS[item.mapping]);
            if (item.mapping === "out-of-scope") continue;
            expect(item.test, item.id).toBeDefined();
            expect(row.test, item.id).toContain(item.test!.split(" › ")[0]!);
            if (item.mapping === "schema") expect(item.paths?.length, item.id).toBeGreaterThan(0);
            if (item.mapping.startsWith("audit")) expect(item.check, item.id).toBeDefined();
        }
    });

    it("names tests that exist", () => {
        for (const item of CHECKLIST) {
            for (const ref of (item.test ?? "").split("; ").filter(Boolean)) {
                const [file, name] = ref.split(" › ") as [string, string];
                expect(existsSync(join(root, file)), ref).toBe(true);
                expect(readFileSync(join(root, file), "utf8"), ref).toContain(name);
            }
        }
    });

    it("every generated secret but test-user passwords is at least 32 characters", () => {
        for (const [name, policy] of Object.entries(SECRET_POLICIES)) {
            if (name !== "test-user-passwords") expect(policy.length, name).toBeGreaterThanOrEqual(MIN_GENERATED_SECRET_LENGTH);
        }
    });
});

describe("audit report", () => {
    it("prints one line per item and a summary, and scrubs any secret that reached it", () => {
        const r = report("s", "prod", false, [{ id: "RF-01", item: "Use HTTPS", mapping: "schema", status: "fail", detail: "leaked s3cr3t-value-123" }]);
        expect(textLines(r)).toEqual(["fail  RF-01  Use HTTPS — leaked s3cr3t-value-123", "0 passed, 1 failed, 0 n/a (stack s, prod, config only)"]);
        expect(scrubReport(textLines(r).join("\n"), ["s3cr3t-value-123"])).not.toContain("s3cr3t");
    });
});

describe("the secrets the audit looks for", () => {
    const exported = (name: string, result: string) => ({
        urn: `urn:pulumi:dev::gatehouse::gatehouse:secrets:GatehouseSecrets$random:index/randomPassword:RandomPassword::gatehouse-secrets-${name}`,
        type: "random:index/randomPassword:RandomPassword",
        outputs: { result },
    });

    it("are the generated ones by name, the supplied ones by setting, and each test user's password derived as the program derives it", async () => {
        const { secretValues } = await import("../../scripts/lib/audit/stack-view");
        const { derivePassword, testUserPasswordLabel } = await import("../../infra/secrets/derive");
        const raw = {
            postgres: { adminPassword: "pg-admin-Passw0rd" },
            authentik: { token: "ak-token-0123456789", testUsers: [{ username: "alice" }, { username: "eddie", password: "eddie-own-Passw0rd" }] },
        };
        const found = secretValues([exported("oidc-client-secret", "client-secret-value"), exported("test-user-passwords", "the-test-user-key-24chr")], raw);
        expect(Object.fromEntries(found)).toEqual({
            "oidc-client-secret": "client-secret-value",
            "test-user-passwords": "the-test-user-key-24chr",
            "test-user-passwords (alice)": derivePassword("the-test-user-key-24chr", testUserPasswordLabel("alice"), SECRET_POLICIES["test-user-passwords"]),
            "postgres.adminPassword": "pg-admin-Passw0rd",
            "authentik.token": "ak-token-0123456789",
            "authentik.testUsers[1].password": "eddie-own-Passw0rd",
        });
    });
});

import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { derivePassword, testUserPasswordLabel } from "../../infra/secrets/derive";
import { SECRET_POLICIES } from "../../infra/secrets/policy";
import { recordResources, settle, settled, type RecordedResource } from "../harness/mocks";

const policy = SECRET_POLICIES["test-user-passwords"];
const KEY = "k3y-Of-24-characters.abc";

describe("derivePassword", () => {
    it("gives the same password for the same key and label, and another for another label or key", () => {
        const alice = derivePassword(KEY, testUserPasswordLabel("alice"), policy);
        expect(derivePassword(KEY, testUserPasswordLabel("alice"), policy)).toBe(alice);
        expect(derivePassword(KEY, testUserPasswordLabel("eddie"), policy)).not.toBe(alice);
        expect(derivePassword(`${KEY}x`, testUserPasswordLabel("alice"), policy)).not.toBe(alice);
    });

    it("has the policy's length and alphabet, and a lower-case letter, an upper-case letter and a digit, every time", () => {
        const alphabet = new RegExp(`^[A-Za-z0-9${policy.special.replace(/[-\\\]^]/g, "\\$&")}]{${policy.length}}$`);
        const seen = new Set<string>();
        for (let i = 0; i < 2000; i++) {
            const password = derivePassword(KEY, testUserPasswordLabel(`user${i}`), policy);
            expect(password).toMatch(alphabet);
            expect(password).toMatch(/[a-z]/);
            expect(password).toMatch(/[A-Z]/);
            expect(password).toMatch(/[0-9]/);
            seen.add(password);
        }
        expect(seen.size).toBe(2000);
    });

    it("draws every character of the alphabet about equally often (no modulo bias)", () => {
        const counts = new Map<string, number>();
        for (let i = 0; i < 2000; i++) for (const c of derivePassword(KEY, `label-${i}`, policy)) counts.set(c, (counts.get(c) ?? 0) + 1);
        const alphabetSize = 62 + policy.special.length;
        expect(counts.size).toBe(alphabetSize);
        const expected = (2000 * policy.length) / alphabetSize;
        for (const [c, n] of counts) expect(Math.abs(n - expected) / expected, c).toBeLessThan(0.2);
    });

    it("refuses an empty key", () => {
        expect(() => derivePassword("", "alice", policy)).toThrow("derivePassword: empty key");
    });
});

describe("GatehouseSecrets' test-user passwords", () => {
    let recorded: RecordedResource[];
    let passwords: Record<string, pulumi.Output<string>>;

    beforeAll(async () => {
        recorded = recordResources();
        const { GatehouseSecrets } = await import("../../infra/secrets/secrets");
        const secrets = new GatehouseSecrets("gatehouse-secrets", { rotation: { "test-user-passwords": 3 }, testUsernames: ["alice", "eddie", "victor"] });
        passwords = { ...secrets.testUserPasswords };
        await settled(recorded);
    });

    it("come from one RandomPassword for all users, whose keepers follow the rotation counter", () => {
        const keys = recorded.filter((r) => r.type === "random:index/randomPassword:RandomPassword" && r.name.startsWith("gatehouse-secrets-test-user-passwords"));
        expect(keys.map((r) => [r.name, r.inputs.keepers, r.inputs.length])).toEqual([["gatehouse-secrets-test-user-passwords", { rotation: "3" }, policy.length]]);
    });

    it("are one secret per user, each derived from that key for its username", async () => {
        expect(Object.keys(passwords)).toEqual(["alice", "eddie", "victor"]);
        const key = "generated-gatehouse-secrets-test-user-passwords"; // what the mocks' RandomPassword returns
        for (const [username, output] of Object.entries(passwords)) {
            const { value, secret } = await settle(output);
            expect(secret, username).toBe(true);
            expect(value, username).toBe(derivePassword(key, testUserPasswordLabel(username), policy));
        }
    });

    it("need no RandomPassword when no user takes a generated one", async () => {
        const { GatehouseSecrets } = await import("../../infra/secrets/secrets");
        const before = recorded.length;
        const secrets = new GatehouseSecrets("other-secrets", { rotation: {}, testUsernames: [] });
        await settled(recorded);
        expect(secrets.testUserPasswords).toEqual({});
        expect(recorded.slice(before).map((r) => r.name)).not.toContain("other-secrets-test-user-passwords");
    });
});

import { describe, expect, it } from "vitest";
import { expectations, mismatches } from "../../scripts/lib/login/check";
import type { SignInResult } from "../../scripts/lib/login/sign-in";

const granted = (groups: unknown[], sub = "u-1"): SignInResult & { granted: true } => ({
    granted: true,
    idToken: { sub, groups },
    userinfo: { sub, groups },
    scope: "openid groups",
    refreshable: true,
    tokens: { accessToken: "a", idToken: "i" },
});

describe("npm run login --all-test-users: what each seeded user must see", () => {
    const users = { alice: ["acme-admins"], eddie: ["acme-editors", "acme-org-ACR"], olga: ["acme-org-ACR"] };

    it("expects access exactly for members of an admitted group, or for everyone", () => {
        expect(expectations(users, ["acme-admins", "acme-editors"]).map((e) => [e.username, e.granted])).toEqual([
            ["alice", true],
            ["eddie", true],
            ["olga", false],
        ]);
        expect(expectations(users, "everyone").every((e) => e.granted)).toBe(true);
    });

    it("accepts exactly the user's groups, as names or {name} objects", () => {
        const [, eddie] = expectations(users, ["acme-editors"]);
        expect(mismatches(eddie!, granted(["acme-org-ACR", "acme-editors"]))).toEqual([]);
        expect(mismatches(eddie!, granted([{ name: "acme-editors" }, { name: "acme-org-ACR" }]))).toEqual([]);
    });

    it("reports a group listed twice, a missing one, an extra one, and a missing claim", () => {
        const [, eddie] = expectations(users, ["acme-editors"]);
        expect(mismatches(eddie!, granted(["acme-editors", "acme-editors", "acme-admins"]))).toEqual([
            "id_token: groups listed more than once: acme-editors",
            "id_token: groups missing: acme-org-ACR",
            "id_token: unexpected groups: acme-admins",
            "userinfo: groups listed more than once: acme-editors",
            "userinfo: groups missing: acme-org-ACR",
            "userinfo: unexpected groups: acme-admins",
        ]);
        expect(mismatches(eddie!, { ...granted([]), idToken: { sub: "u-1" } })[0]).toBe("id_token: no groups claim");
    });

    it("reports access that differs from the expectation either way", () => {
        const [alice, , olga] = expectations(users, ["acme-admins"]);
        expect(mismatches(alice!, { granted: false, reason: "access_denied" })).toEqual(["expected access, was refused (access_denied)"]);
        expect(mismatches(olga!, granted(["acme-org-ACR"]))).toEqual(["expected to be refused, was let in"]);
        expect(mismatches(olga!, { granted: false, reason: "denied" })).toEqual([]);
    });
});

import { describe, expect, it } from "vitest";
import { applicationKind } from "../application";
import { brandKind } from "../brand";
import { groupKind } from "../group";
import { oauth2ProviderKind } from "../oauth2-provider";
import { userKind } from "../user";
import { deepEqual, fieldChanged, inDesiredOrder, mergeAttributes, observeAttributes, ownedBy, UNKNOWN } from "./compare";
import { apiBase, isTransientNetworkError } from "./connection";
import { drfMessages } from "./errors";
import { scrub } from "../../secrets/scrub";
import { checkInputs, diffState, type State } from "./provider";

const URL_ = "http://authentik.test";

describe("comparison", () => {
    it("treats a missing key as undefined and compares deeply", () => {
        expect(deepEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
        expect(deepEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 3 }] })).toBe(false);
    });

    it("ignores order in set fields, but not in others", () => {
        expect(fieldChanged(["a", "b"], ["b", "a"], true)).toBe(false);
        expect(fieldChanged(["a", "b"], ["b", "a"], false)).toBe(true);
        expect(fieldChanged(["a"], ["a", "b"], true)).toBe(true);
    });

    it("reports an unknown value as a change", () => {
        expect(fieldChanged("x", UNKNOWN, false)).toBe(true);
        expect(fieldChanged(["x"], [UNKNOWN], true)).toBe(true);
    });

    it("reports the server's set in the stack's order when only the order differs", () => {
        expect(inDesiredOrder(["b", "a"], ["a", "b"])).toEqual(["a", "b"]);
        expect(inDesiredOrder(["b", "c"], ["a", "b"])).toEqual(["b", "c"]);
    });

    it("observes only managed attribute keys and merges without touching others", () => {
        const server = { "gatehouse/owner": "p/s", theme: "dark", old: 1 };
        expect(observeAttributes(server, { "gatehouse/owner": "p/s" }, { old: 1 })).toEqual({ "gatehouse/owner": "p/s", old: 1 });
        expect(mergeAttributes(server, { "gatehouse/owner": "p/s", added: true }, { old: 1 })).toEqual({ "gatehouse/owner": "p/s", theme: "dark", added: true });
    });

    it("recognises the stack's own mark only", () => {
        expect(ownedBy({ "gatehouse/owner": "gatehouse/dev" }, { "gatehouse/owner": "gatehouse/dev" })).toBe(true);
        expect(ownedBy({ "gatehouse/owner": "gatehouse/qa" }, { "gatehouse/owner": "gatehouse/dev" })).toBe(false);
        expect(ownedBy(undefined, {})).toBe(false);
    });
});

describe("error text", () => {
    it("turns a DRF body into field: message lines", () => {
        expect(drfMessages({ name: ["group with this name already exists."] })).toEqual(["name: group with this name already exists"]);
        expect(drfMessages({ non_field_errors: ["Bad."], code: "invalid" })).toEqual(["Bad"]);
        expect(drfMessages({ redirect_uris: [{ url: ["Enter a valid URL."] }] })).toEqual(["redirect_uris[0].url: Enter a valid URL"]);
        expect(drfMessages({ detail: "You do not have permission to perform this action." })).toEqual(["You do not have permission to perform this action"]);
    });

    it("masks secrets wherever they appear", () => {
        expect(scrub("token abc in abc", ["abc", ""])).toBe("token [secret] in [secret]");
    });

    it("retries dropped connections and timeouts, not refused connections", () => {
        expect(isTransientNetworkError(new TypeError("fetch failed", { cause: { code: "ECONNRESET" } }))).toBe(true);
        expect(isTransientNetworkError(Object.assign(new Error("t"), { name: "TimeoutError" }))).toBe(true);
        expect(isTransientNetworkError(new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } }))).toBe(false);
    });

    it("builds the API base from a URL with or without a trailing slash", () => {
        expect(apiBase("https://auth.example.com/")).toBe("https://auth.example.com/api/v3");
    });
});

describe("check", () => {
    it("fills defaults and normalizes adopt", () => {
        const result = checkInputs(groupKind, { url: URL_, name: "acme-admins" });
        expect(result.inputs).toEqual({ url: URL_, name: "acme-admins", isSuperuser: false, parents: [], attributes: {}, adopt: false });
        expect(result.failures).toEqual([]);
    });

    it("refuses an OAuth2 provider without a signing key", () => {
        const result = checkInputs(oauth2ProviderKind, {
            url: URL_,
            name: "p",
            clientId: "c",
            clientSecret: "s",
            redirectUris: ["https://app/cb"],
            authorizationFlow: "f1",
            invalidationFlow: "f2",
            signingKey: "",
        });
        expect(result.failures).toEqual([
            { property: "signingKey", reason: "a signing key is required: without one Authentik signs ID tokens with HS256, and clients expect RS256" },
        ]);
    });

    it("does not judge values that are not known yet", () => {
        expect(checkInputs(applicationKind, { url: URL_, slug: "acme", provider: UNKNOWN as unknown as number }).failures).toEqual([]);
    });

    it("trims strings as Authentik's serializers do, and refuses a secret it would trim", () => {
        const brand = checkInputs(brandKind, { url: URL_, domain: " auth.acme.test ", customCss: ".x {}\n" });
        expect(brand.inputs).toMatchObject({ domain: "auth.acme.test", customCss: ".x {}" });
        const user = checkInputs(userKind, { url: URL_, username: "eddie", name: "Eddie", password: "secret " });
        expect(user.failures).toEqual([{ property: "password", reason: "must not begin or end with whitespace (Authentik would trim it)" }]);
        expect(JSON.stringify(user.failures)).not.toContain("secret ");
    });

    it("refuses a missing URL and a missing natural key", () => {
        expect((checkInputs(groupKind, { url: "authentik.test", name: "" }).failures ?? []).map((f) => f.property)).toEqual(["url", "name"]);
    });
});

describe("diff", () => {
    /** What changes and what replaces; `stables` has its own test below. */
    const changesOf = ({ stables: _stables, ...rest }: ReturnType<typeof diffState>) => rest;
    const group = (over: Partial<State<import("../group").GroupFields>> = {}) =>
        ({ url: URL_, adopt: false, name: "acme-admins", isSuperuser: false, parents: ["a", "b"], attributes: {}, ...over }) as State<import("../group").GroupFields>;

    it("sees no change when only the order of a set changed", () => {
        expect(changesOf(diffState(groupKind, group(), group({ parents: ["b", "a"] })))).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    });

    it("updates a group rename in place", () => {
        expect(changesOf(diffState(groupKind, group(), group({ name: "acme-admin" })))).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    });

    it("ignores adopt, which only matters on create", () => {
        expect(diffState(groupKind, group(), group({ adopt: true })).changes).toBe(false);
    });

    it("replaces an application whose slug changes, deleting the old one first (one application per provider)", () => {
        const app = { url: URL_, adopt: false, slug: "acme", name: "Acme", provider: 3, metaLaunchUrl: "", policyEngineMode: "any" } as const;
        expect(changesOf(diffState(applicationKind, app as never, { ...app, slug: "acme2" } as never))).toEqual({ changes: true, replaces: ["slug"], deleteBeforeReplace: true });
        expect(changesOf(diffState(applicationKind, app as never, { ...app, name: "Acme 2" } as never))).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    });

    it("declares every output an in-place update leaves alone stable, so a preview keeps the pk and the rest known", () => {
        const olds = { ...group(), pk: "group-pk", numPk: 7 } as never;
        expect(diffState(groupKind, olds, group({ name: "acme-admin" })).stables).toEqual(["url", "adopt", "isSuperuser", "parents", "attributes", "pk", "numPk"]);
        const app = { url: URL_, adopt: false, slug: "acme", name: "Acme", provider: 3, metaLaunchUrl: "", policyEngineMode: "any", pk: "app-pk" } as const;
        expect(diffState(applicationKind, app as never, { ...app, name: "Acme 2" } as never).stables).toContain("provider");
    });

    it("reports a changed password (a secret input) as an in-place change", () => {
        const user = { url: URL_, adopt: false, username: "u", name: "U", email: "", path: "users", type: "internal", isActive: true, groups: [], attributes: {}, password: "one" };
        expect(changesOf(diffState(userKind, user as never, { ...user, password: "two" } as never))).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    });
});

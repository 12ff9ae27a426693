import { beforeAll, describe, expect, it } from "vitest";
import type { ScopeMappingRecord } from "../../core/db";
import { getClaims, scopeMappingsFor } from "./claims";
import { buildFixture, type Fixture } from "./fixtures";

describe("getClaims (UserInfoView.get_claims)", () => {
    let f: Fixture;
    beforeAll(() => {
        f = buildFixture();
    });

    function withMappings(extra: Omit<ScopeMappingRecord, "pk">[], scope: string[]) {
        const pks = extra.map((m, i) => {
            const pk = `0e7c1f3a-5d0b-4c11-9a8e-0000000001${String(i).padStart(2, "0")}`;
            f.db.scopeMappings.set(pk, { pk, ...m });
            return pk;
        });
        const provider = { ...f.provider, property_mappings: [...f.provider.property_mappings, ...pks] };
        return { ...f.context, provider, token: { scope } };
    }

    it("evaluates the token's scopes in scope_name order and merges the dicts", async () => {
        const context = { ...f.context, token: { scope: ["openid", "email", "profile"] } };
        expect(scopeMappingsFor(context).map((m) => m.scope_name)).toEqual(["email", "openid", "profile"]);
        const result = await getClaims(context);
        expect(result.claims).toStrictEqual({
            email: "alice@example.com",
            email_verified: false,
            name: "Alice Example",
            given_name: "Alice Example",
            preferred_username: "alice",
            nickname: "alice",
            groups: ["engineering", "ops"],
        });
        expect(result.skipped).toEqual([]);
        // the profile mapping reads the deprecated User.ak_groups
        expect(result.events.map((e) => e.action)).toEqual(["configuration_warning"]);
    });

    it("skips a mapping that raises, with authentik's two events, and ignores non-dict results", async () => {
        const context = withMappings(
            [
                { managed: null, name: "boom", expression: "return 1/0", scope_name: "a-boom", description: "" },
                { managed: null, name: "list", expression: "return [1]", scope_name: "b-list", description: "" },
                { managed: null, name: "more groups", expression: 'return {"groups": ["extra"]}', scope_name: "c-more", description: "" },
            ],
            ["a-boom", "b-list", "c-more", "profile"],
        );
        const result = await getClaims(context);
        // always_merger appends lists: c-more comes before profile
        expect(result.claims.groups).toEqual(["extra", "engineering", "ops"]);
        expect(result.skipped.map((s) => [s.mapping, s.reason])).toEqual([
            ["boom", "exception"],
            ["list", "not_a_dict"],
        ]);
        expect(result.skipped[0]?.error?.message).toBe('scope mapping "boom": ZeroDivisionError: division by zero');
        expect(result.events.map((e) => e.action)).toEqual([
            "property_mapping_exception",
            "configuration_error",
            "configuration_warning",
        ]);
        expect(result.events[1]?.context.message).toBe("Failed to evaluate property-mapping: 'boom'");
    });

    it("throws for SkipObject and for what is not emulated, as nothing authentik would skip", async () => {
        const skip = withMappings([{ managed: null, name: "skipper", expression: "raise SkipObject", scope_name: "skip", description: "" }], ["skip"]);
        await expect(getClaims(skip)).rejects.toMatchObject({ kind: "control_flow", mapping: "skipper" });
        const gap = withMappings([{ managed: null, name: "gap", expression: "return {'x': user.password}", scope_name: "gap", description: "" }], ["gap"]);
        await expect(getClaims(gap)).rejects.toThrow('scope mapping "gap": user.password is not emulated');
    });
});

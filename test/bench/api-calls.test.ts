import { describe, expect, it } from "vitest";
import { countApiCalls } from "../../bench/lib/api-calls";

describe("Authentik API calls from the emulator's log", () => {
    it("counts by method and operation, writes together, and the lookups' list calls", () => {
        const calls = countApiCalls([
            { method: "GET", path: "/api/v3/core/users/", operationId: "core_users_list" },
            { method: "post", path: "/api/v3/core/users/", operationId: "core_users_create" },
            { method: "PATCH", path: "/api/v3/core/users/7/", operationId: "core_users_partial_update" },
            { method: "DELETE", path: "/api/v3/core/groups/x/", operationId: "core_groups_destroy" },
            { method: "GET", path: "/api/v3/flows/instances/", operationId: "flows_instances_list" },
            { method: "GET", path: "/application/o/acme/.well-known/openid-configuration" },
        ]);
        expect(calls.total).toBe(6);
        expect(calls.byMethod).toEqual({ DELETE: 1, GET: 3, PATCH: 1, POST: 1 });
        expect(calls.writes).toBe(3);
        expect(calls.byOperation["GET /application/o/acme/.well-known/openid-configuration"]).toBe(1);
        expect(calls.lookups).toEqual({ crypto_certificatekeypairs_list: 0, flows_instances_list: 1, propertymappings_provider_scope_list: 0 });
    });

    it("reads an empty log as no calls", () => {
        expect(countApiCalls([])).toMatchObject({ total: 0, writes: 0, byMethod: {} });
    });
});

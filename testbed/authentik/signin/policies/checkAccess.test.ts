/**
 * GET /core/applications/{slug}/check_access/ (authentik/core/api/applications.py ApplicationViewSet.check_access;
 * authentik/core/tests/test_applications_api.py test_check_access for the body of an open application).
 */
import { Configuration, CoreApi } from "@goauthentik/api";
import { describe, expect, it } from "vitest";
import { useEmulator } from "../../fixture";

const ak = useEmulator();
const { api } = ak;

async function setup(): Promise<{ staff: string; member: number; outsider: number }> {
    expect((await api.post("/core/applications/", { name: "App", slug: "app" })).status).toBe(201);
    const staff = (await api.post("/core/groups/", { name: "staff" })).body.pk as string;
    const member = (await api.post("/core/users/", { username: "member", name: "m", groups: [staff] })).body.pk as number;
    const outsider = (await api.post("/core/users/", { username: "outsider", name: "o" })).body.pk as number;
    return { staff, member, outsider };
}

describe("GET /core/applications/{slug}/check_access/", () => {
    it("an application without bindings passes for akadmin, the token's user", async () => {
        await setup();
        const res = await api.get("/core/applications/app/check_access/");
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ passing: true, messages: [], log_messages: [] });
    });

    it("a superuser checks another user with for_user", async () => {
        const { staff, member, outsider } = await setup();
        const app = (await api.get("/core/applications/app/")).body.pk as string;
        expect((await api.post("/policies/bindings/", { target: app, group: staff, order: 0 })).status).toBe(201);
        expect((await api.get(`/core/applications/app/check_access/?for_user=${member}`)).body).toEqual({
            passing: true,
            messages: [],
            log_messages: [],
        });
        // group bindings give a static result without messages
        expect((await api.get(`/core/applications/app/check_access/?for_user=${outsider}`)).body).toEqual({
            passing: false,
            messages: [],
            log_messages: [],
        });
        // akadmin itself is not in staff: no superuser bypass in the engine
        expect((await api.get("/core/applications/app/check_access/")).body.passing).toBe(false);
    });

    it("answers the view's ValidationErrors for for_user and 404 for an unknown slug", async () => {
        await setup();
        const nan = await api.get("/core/applications/app/check_access/?for_user=abc");
        expect(nan.status).toBe(400);
        expect(nan.body).toEqual({ for_user: "for_user must be numerical" });
        const missing = await api.get("/core/applications/app/check_access/?for_user=999");
        expect(missing.status).toBe(400);
        expect(missing.body).toEqual({ for_user: "User not found" });
        const unknown = await api.get("/core/applications/nope/check_access/");
        expect(unknown.status).toBe(404);
        expect(unknown.body).toEqual({ detail: "No Application matches the given query." });
    });

    it("ignores for_user when the token's user is no superuser (then only passing is told)", async () => {
        const { outsider } = await setup();
        const admin = (await api.get("/core/users/?username=akadmin")).body.results[0];
        expect((await api.patch(`/core/users/${admin.pk}/`, { groups: [] })).status).toBe(200);
        const res = await api.get(`/core/applications/app/check_access/?for_user=${outsider}`);
        expect(res.body).toEqual({ passing: true, messages: [], log_messages: [] });
        expect((await api.get("/core/applications/app/check_access/?for_user=abc")).status).toBe(200);
    });

    it("works with the official client", async () => {
        const { member } = await setup();
        const core = new CoreApi(new Configuration({ basePath: `${ak.url}/api/v3`, accessToken: ak.token }));
        const result = await core.coreApplicationsCheckAccessRetrieve({ slug: "app", forUser: member });
        expect(result).toEqual({ passing: true, messages: [], logMessages: [] });
    });
});

/**
 * /api/v3/policies/bindings/ as authentik 2026.8 has it: authentik/policies/api/bindings.py (PolicyBindingSerializer,
 * PolicyBindingFilter, PolicyBindingViewSet), authentik/policies/models.py (PolicyBinding defaults, on_delete) and
 * authentik/policies/tests/test_bindings_api.py (the non_field_errors texts).
 */
import { Configuration, CoreApi, PoliciesApi, ResponseError } from "@goauthentik/api";
import { beforeAll, describe, expect, it } from "vitest";
import { useEmulator } from "../fixture";
import { MISSING_UUID, flowPk, providerBody } from "../testing";

const ak = useEmulator();
const { api } = ak;

async function app(slug = "app"): Promise<string> {
    const provider = await api.post("/providers/oauth2/", await providerBody(api, { name: `p-${slug}` }));
    const res = await api.post("/core/applications/", { name: slug, slug, provider: provider.body.pk });
    expect(res.status).toBe(201);
    return res.body.pk as string;
}

async function group(name = "staff"): Promise<string> {
    const res = await api.post("/core/groups/", { name });
    expect(res.status).toBe(201);
    return res.body.pk as string;
}

async function user(username = "alice"): Promise<number> {
    const res = await api.post("/core/users/", { username, name: username });
    expect(res.status).toBe(201);
    return res.body.pk as number;
}

async function bind(body: Record<string, unknown>): Promise<string> {
    const res = await api.post("/policies/bindings/", { order: 0, ...body });
    expect(res.status).toBe(201);
    return res.body.pk as string;
}

describe("POST /policies/bindings/", () => {
    it("binds a group to an application with the model's defaults and group_obj (PartialGroupSerializer)", async () => {
        const target = await app();
        const g = await group();
        const groupBody = (await api.get(`/core/groups/${g}/`)).body;
        const res = await api.post("/policies/bindings/", { target, group: g, order: 10 });
        expect(res.status).toBe(201);
        // models.py: enabled True, negate False, timeout 30, failure_result False; expires/expiring read-only
        expect(res.body).toEqual({
            pk: expect.stringMatching(/^[0-9a-f-]{36}$/),
            policy: null,
            group: g,
            user: null,
            policy_obj: null,
            group_obj: { pk: g, num_pk: groupBody.num_pk, name: "staff", is_superuser: false, attributes: {} },
            user_obj: null,
            target,
            negate: false,
            enabled: true,
            order: 10,
            timeout: 30,
            failure_result: false,
            expires: null,
            expiring: false,
        });
        expect((await api.get(`/policies/bindings/${res.body.pk}/`)).body).toEqual(res.body);
    });

    it("binds a user with user_obj (PartialUserSerializer) and the given options", async () => {
        const target = await app();
        const u = await user();
        const userBody = (await api.get(`/core/users/${u}/`)).body;
        const res = await api.post("/policies/bindings/", {
            target,
            user: u,
            order: -3,
            negate: true,
            enabled: false,
            timeout: 5,
            failure_result: true,
        });
        expect(res.status).toBe(201);
        expect(res.body).toMatchObject({ user: u, group: null, negate: true, enabled: false, order: -3, timeout: 5, failure_result: true });
        expect(res.body.user_obj).toEqual({
            pk: u,
            username: "alice",
            name: "alice",
            is_active: true,
            last_login: null,
            email: "",
            attributes: {},
            uid: userBody.uid,
        });
    });

    it("takes a flow as target (any PolicyBindingModel)", async () => {
        const flow = await flowPk(api, "default-authentication-flow");
        const res = await api.post("/policies/bindings/", { target: flow, group: await group(), order: 0 });
        expect(res.status).toBe(201);
        expect(res.body.target).toBe(flow);
    });

    it("needs exactly one of group, policy and user (validate(), as non_field_errors)", async () => {
        const target = await app();
        const g = await group();
        const u = await user();
        const none = await api.post("/policies/bindings/", { target, order: 0 });
        expect(none.status).toBe(400);
        expect(none.body).toEqual({ non_field_errors: ["One of 'group', 'policy', 'user' must be set."] });
        const nulls = await api.post("/policies/bindings/", { target, order: 0, group: null, user: null, policy: null });
        expect(nulls.body).toEqual({ non_field_errors: ["One of 'group', 'policy', 'user' must be set."] });
        const two = await api.post("/policies/bindings/", { target, order: 0, group: g, user: u });
        expect(two.status).toBe(400);
        expect(two.body).toEqual({ non_field_errors: ["Only one of 'group', 'policy', 'user' can be set."] });
        // a null one does not count (bool(attrs.get(x)))
        expect((await api.post("/policies/bindings/", { target, order: 0, group: g, user: null })).status).toBe(201);
    });

    it("rejects unknown target, group, user and policy with DRF's relation messages (field errors before validate())", async () => {
        const res = await api.post("/policies/bindings/", { target: MISSING_UUID, group: MISSING_UUID, user: 999, policy: MISSING_UUID, order: 0 });
        expect(res.status).toBe(400);
        expect(res.body).toEqual({
            target: [`Invalid pk "${MISSING_UUID}" - object does not exist.`],
            group: [`Invalid pk "${MISSING_UUID}" - object does not exist.`],
            user: ['Invalid pk "999" - object does not exist.'],
            policy: [`Invalid pk "${MISSING_UUID}" - object does not exist.`],
        });
        // policies are not emulated: even alone, a policy pk does not exist
        const policy = await api.post("/policies/bindings/", { target: await app(), policy: MISSING_UUID, order: 0 });
        expect(policy.body).toEqual({ policy: [`Invalid pk "${MISSING_UUID}" - object does not exist.`] });
    });

    it("refuses a target that is no PolicyBindingModel, malformed pks and missing required fields", async () => {
        const g = await group();
        const notPbm = await api.post("/policies/bindings/", { target: g, group: g, order: 0 });
        expect(notPbm.body).toEqual({ target: [`Invalid pk "${g}" - object does not exist.`] });
        const malformed = await api.post("/policies/bindings/", { target: "nope", user: "x", group: "y", order: 0 });
        expect(malformed.body).toEqual({
            target: ["“nope” is not a valid UUID."],
            user: ["Incorrect type. Expected pk value, received str."],
            group: ["“y” is not a valid UUID."],
        });
        const missing = await api.post("/policies/bindings/", { group: g });
        expect(missing.body).toEqual({ target: ["This field is required."], order: ["This field is required."] });
        const range = await api.post("/policies/bindings/", { target: await app(), group: g, order: 0, timeout: -1 });
        expect(range.body).toEqual({ timeout: ["Ensure this value is greater than or equal to 0."] });
    });

    it("lets group and user bindings share an order (unique_together includes policy, which is None)", async () => {
        const target = await app();
        await bind({ target, group: await group("a"), order: 1 });
        await bind({ target, group: await group("b"), order: 1 });
        await bind({ target, user: await user(), order: 1 });
        expect((await api.get(`/policies/bindings/?target=${target}`)).body.pagination.count).toBe(3);
    });
});

describe("/policies/bindings/{policy_binding_uuid}/", () => {
    it("404s with the model name, or DRF's bare message for a malformed uuid", async () => {
        expect((await api.get(`/policies/bindings/${MISSING_UUID}/`)).body).toEqual({ detail: "No PolicyBinding matches the given query." });
        const bad = await api.get("/policies/bindings/nope/");
        expect(bad.status).toBe(404);
        expect(bad.body).toEqual({ detail: "Not found." });
    });

    it("PUT needs target and order and replaces the subject when the other one is nulled", async () => {
        const target = await app();
        const g = await group();
        const u = await user();
        const pk = await bind({ target, group: g });
        expect((await api.put(`/policies/bindings/${pk}/`, { user: u })).body).toEqual({
            target: ["This field is required."],
            order: ["This field is required."],
        });
        const put = await api.put(`/policies/bindings/${pk}/`, { target, order: 4, user: u, group: null });
        expect(put.status).toBe(200);
        expect(put.body).toMatchObject({ group: null, group_obj: null, user: u, order: 4, timeout: 30 });
        expect(put.body.user_obj.username).toBe("alice");
    });

    it("PATCH validates only the fields it sends: validate() counts the request's group/policy/user", async () => {
        const target = await app();
        const g = await group();
        const pk = await bind({ target, group: g });
        const orderOnly = await api.patch(`/policies/bindings/${pk}/`, { order: 5 });
        expect(orderOnly.status).toBe(400);
        expect(orderOnly.body).toEqual({ non_field_errors: ["One of 'group', 'policy', 'user' must be set."] });
        const patch = await api.patch(`/policies/bindings/${pk}/`, { order: 5, group: g, negate: true });
        expect(patch.status).toBe(200);
        expect(patch.body).toMatchObject({ order: 5, group: g, negate: true, target });
    });

    it("DELETE answers 204", async () => {
        const pk = await bind({ target: await app(), group: await group() });
        expect((await api.delete(`/policies/bindings/${pk}/`)).status).toBe(204);
        expect((await api.get(`/policies/bindings/${pk}/`)).status).toBe(404);
    });
});

describe("GET /policies/bindings/ filters (PolicyBindingFilter)", () => {
    it("filters by target, target_in, enabled, order, timeout and policy__isnull; orders by target, order", async () => {
        const a = await app("a");
        const b = await app("b");
        const g = await group();
        const u = await user();
        const a1 = await bind({ target: a, group: g, order: 2 });
        const a0 = await bind({ target: a, user: u, order: 0, enabled: false, timeout: 7 });
        const b0 = await bind({ target: b, group: g, order: 0 });
        const pks = async (q: string) => ((await api.get(`/policies/bindings/${q}`)).body.results as Array<{ pk: string }>).map((r) => r.pk);
        expect(await pks(`?target=${a}`)).toEqual([a0, a1]);
        expect(await pks(`?target=${a.toUpperCase()}`)).toEqual([a0, a1]); // the ModelChoiceField parses the uuid
        expect(await pks(`?target_in=${a}&target_in=${b}&order=0`)).toEqual([a, b].sort()[0] === a ? [a0, b0] : [b0, a0]);
        expect(await pks(`?target=${a}&enabled=false`)).toEqual([a0]);
        expect(await pks(`?target=${a}&enabled=true`)).toEqual([a1]);
        expect(await pks(`?order=2`)).toEqual([a1]);
        expect(await pks(`?order=2.9`)).toEqual([a1]); // NumberFilter: Decimal, then int() of the IntegerField lookup
        expect(await pks(`?timeout=7`)).toEqual([a0]);
        expect((await pks(`?policy__isnull=true`)).length).toBe(3);
        expect(await pks(`?policy__isnull=false`)).toEqual([]);
        expect(await pks(`?search=staff`)).toEqual([]); // search_fields = ["policy__name"]
        expect(await pks(`?target=${a}&ordering=-order`)).toEqual([a1, a0]);
    });

    it("answers django-filter's form errors", async () => {
        const a = await app();
        const bad = await api.get(`/policies/bindings/?target=${MISSING_UUID}&policy=${MISSING_UUID}&order=x&timeout=1e`);
        expect(bad.status).toBe(400);
        expect(bad.body).toEqual({
            target: ["Select a valid choice. That choice is not one of the available choices."],
            policy: ["Select a valid choice. That choice is not one of the available choices."],
            order: ["Enter a number."],
            timeout: ["Enter a number."],
        });
        // ModelMultipleChoiceField: a malformed uuid fails in the lookup, then each value must be str(pbm_uuid)
        expect((await api.get(`/policies/bindings/?target_in=${a}&target_in=nope`)).body).toEqual({
            target_in: ["“nope” is not a valid UUID."],
        });
        expect((await api.get(`/policies/bindings/?target_in=${a}&target_in=${MISSING_UUID}`)).body).toEqual({
            target_in: [`Select a valid choice. ${MISSING_UUID} is not one of the available choices.`],
        });
        expect((await api.get(`/policies/bindings/?target_in=${a.toUpperCase()}`)).body).toEqual({
            target_in: [`Select a valid choice. ${a.toUpperCase()} is not one of the available choices.`],
        });
        expect((await api.get(`/policies/bindings/?target=&order=`)).status).toBe(200); // empty values are no filter
    });
});

describe("on_delete=CASCADE of PolicyBinding.target, .group and .user", () => {
    it("deleting the application, the flow, the group or the user deletes their bindings", async () => {
        const target = await app();
        const other = await app("other");
        const g = await group();
        const u = await user();
        const byApp = await bind({ target, group: await group("x") });
        const byGroup = await bind({ target: other, group: g });
        const byUser = await bind({ target: other, user: u });
        const kept = await bind({ target: other, group: await group("y") });
        const flow = await api.post("/flows/instances/", { name: "f", slug: "f", title: "f", designation: "authentication" });
        const byFlow = await bind({ target: flow.body.pk, group: await group("z") });

        expect((await api.delete("/core/applications/app/")).status).toBe(204);
        expect((await api.get(`/policies/bindings/${byApp}/`)).status).toBe(404);
        expect((await api.delete(`/core/groups/${g}/`)).status).toBe(204);
        expect((await api.get(`/policies/bindings/${byGroup}/`)).status).toBe(404);
        expect((await api.delete(`/core/users/${u}/`)).status).toBe(204);
        expect((await api.get(`/policies/bindings/${byUser}/`)).status).toBe(404);
        expect((await api.delete("/flows/instances/f/")).status).toBe(204);
        expect((await api.get(`/policies/bindings/${byFlow}/`)).status).toBe(404);
        expect((await api.get(`/policies/bindings/${kept}/`)).status).toBe(200);
    });
});

describe("@goauthentik/api PoliciesApi round trip", () => {
    let config: Configuration;
    beforeAll(() => {
        config = new Configuration({ basePath: `${ak.url}/api/v3`, accessToken: ak.token });
    });

    it("creates, lists by target, retrieves, updates, patches and destroys a binding", async () => {
        const policies = new PoliciesApi(config);
        const core = new CoreApi(config);
        const target = await app();
        const staff = await core.coreGroupsCreate({ groupRequest: { name: "staff" } });
        const created = await policies.policiesBindingsCreate({ policyBindingRequest: { target, group: staff.pk, order: 0 } });
        expect(created).toMatchObject({ target, group: staff.pk, enabled: true, timeout: 30, expires: null, expiring: false });
        expect(created.groupObj?.name).toBe("staff");

        const list = await policies.policiesBindingsList({ target });
        expect(list.pagination.count).toBe(1);
        expect(list.results[0]!.pk).toBe(created.pk);
        expect((await policies.policiesBindingsList({ targetIn: [target], enabled: true })).results.map((b) => b.pk)).toEqual([created.pk]);
        expect((await policies.policiesBindingsRetrieve({ policyBindingUuid: created.pk })).groupObj?.pk).toBe(staff.pk);

        const updated = await policies.policiesBindingsUpdate({
            policyBindingUuid: created.pk,
            policyBindingRequest: { target, group: staff.pk, order: 3, negate: true },
        });
        expect(updated).toMatchObject({ order: 3, negate: true });
        const patched = await policies.policiesBindingsPartialUpdate({
            policyBindingUuid: created.pk,
            patchedPolicyBindingRequest: { group: staff.pk, enabled: false },
        });
        expect(patched).toMatchObject({ order: 3, enabled: false });

        const refused = await policies
            .policiesBindingsCreate({ policyBindingRequest: { target, order: 0 } })
            .catch((error: unknown) => error);
        expect(refused).toBeInstanceOf(ResponseError);
        expect(await (refused as ResponseError).response.json()).toEqual({
            non_field_errors: ["One of 'group', 'policy', 'user' must be set."],
        });

        await policies.policiesBindingsDestroy({ policyBindingUuid: created.pk });
        expect((await policies.policiesBindingsList({ target })).pagination.count).toBe(0);
    });
});

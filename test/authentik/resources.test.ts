import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SELF_SIGNED_CERTIFICATE } from "../../testbed/authentik/seed-certificates";
import { applicationKind } from "../../infra/authentik/application";
import { brandKind } from "../../infra/authentik/brand";
import { DEFAULT_RETRY } from "../../infra/authentik/core/connection";
import { readLookup } from "../../infra/authentik/core/lookup";
import { groupKind } from "../../infra/authentik/group";
import { certificateKeyPairLookup, flowLookup, managedScopeMappingLookup } from "../../infra/authentik/lookups";
import { oauth2ProviderKind } from "../../infra/authentik/oauth2-provider";
import { policyBindingKind } from "../../infra/authentik/policy-binding";
import { GROUPS_EXPRESSION } from "../../infra/authentik/oidc-app";
import { scopeMappingKind } from "../../infra/authentik/scope-mapping";
import { userKind } from "../../infra/authentik/user";
import { create, providerFor, recordRequests, startAuthentik, type TestAuthentik } from "./harness";

/**
 * Each kind's provider, called directly as the engine calls it, against the emulated Authentik: create, read,
 * update with PATCH carrying only what changed, drift seen by read, delete (404 = gone), adoption.
 */
let ak: TestAuthentik;
const OWNER = { "gatehouse/owner": "gatehouse/test" };

beforeAll(async () => {
    ak = await startAuthentik();
});
afterAll(async () => {
    await ak?.emulator.stop();
});
beforeEach(() => {
    ak.emulator.reset();
});

const common = () => ({ url: ak.url, adopt: false });

describe("group", () => {
    const provider = providerFor(groupKind);

    it("creates, reads back and deletes; 404 on read means gone and on delete means done", async () => {
        const { id, state } = await create(provider, { ...common(), name: "acme-admins", attributes: OWNER });
        expect(state).toMatchObject({ name: "acme-admins", isSuperuser: false, parents: [], attributes: OWNER, pk: id });
        const remote = await ak.api.get(`/core/groups/${id}/`);
        expect(remote.body).toMatchObject({ name: "acme-admins", is_superuser: false, attributes: OWNER });

        const read = await provider.read(id, state);
        expect(read).toEqual({ id, props: state, inputs: { url: ak.url, adopt: false, name: "acme-admins", isSuperuser: false, parents: [], attributes: OWNER } });

        await provider.delete(id, state);
        expect((await ak.api.get(`/core/groups/${id}/`)).status).toBe(404);
        await provider.delete(id, state);
        expect(await provider.read(id, state)).toEqual({ id: "" });
    });

    it("updates with a PATCH of only the fields that differ from the server", async () => {
        const parent = await create(provider, { ...common(), name: "acme-staff", attributes: OWNER });
        const { id, state, inputs } = await create(provider, { ...common(), name: "acme-admins", attributes: OWNER });
        const requests = recordRequests();
        try {
            const news = (await provider.check(state, { ...inputs, isSuperuser: true, parents: [parent.id] })).inputs;
            expect(await provider.diff(id, state, news)).toMatchObject({ changes: true, replaces: [], deleteBeforeReplace: false });
            const { outs } = await provider.update(id, state, news);
            expect(outs).toMatchObject({ isSuperuser: true, parents: [parent.id] });
        } finally {
            requests.stop();
        }
        const writes = requests.sent.filter((r) => r.method !== "GET");
        expect(writes).toEqual([{ method: "PATCH", path: `/api/v3/core/groups/${id}/`, body: { is_superuser: true, parents: [parent.id] } }]);
    });

    it("writes nothing when the server already matches (a URL-only change, or drift already undone)", async () => {
        const { id, state, inputs } = await create(provider, { ...common(), name: "acme-admins", attributes: OWNER });
        ak.emulator.clearLog();
        await provider.update(id, state, { ...inputs, url: `${ak.url}/` });
        expect(ak.emulator.log.map((entry) => `${entry.method} ${entry.operationId}`)).toEqual(["GET core_groups_retrieve"]);
    });

    it("keeps attribute keys others set, and reports only its own keys", async () => {
        const { id, state, inputs } = await create(provider, { ...common(), name: "acme-admins", attributes: OWNER });
        await ak.api.patch(`/core/groups/${id}/`, { attributes: { ...OWNER, notes: "set in the UI" } });
        const read = await provider.read(id, state);
        expect(read.props?.attributes).toEqual(OWNER);

        const { outs } = await provider.update(id, read.props, { ...inputs, attributes: { ...OWNER, role: "admins" } });
        expect(outs.attributes).toEqual({ ...OWNER, role: "admins" });
        expect((await ak.api.get(`/core/groups/${id}/`)).body.attributes).toEqual({ ...OWNER, notes: "set in the UI", role: "admins" });
    });

    it("reports a rename made directly through the API as drift, in outputs and inputs", async () => {
        const { id, state, inputs } = await create(provider, { ...common(), name: "acme-admins", attributes: OWNER });
        await ak.api.patch(`/core/groups/${id}/`, { name: "acme-renamed", is_superuser: true });
        const read = await provider.read(id, state);
        expect(read.props).toMatchObject({ name: "acme-renamed", isSuperuser: true });
        expect(read.inputs).toMatchObject({ name: "acme-renamed", isSuperuser: true });
        expect((await provider.diff(id, read.props, inputs)).changes).toBe(true);
        await provider.update(id, read.props, inputs);
        expect((await ak.api.get(`/core/groups/${id}/`)).body).toMatchObject({ name: "acme-admins", is_superuser: false });
    });

    it("refuses to take over a group it did not create, naming the field", async () => {
        await ak.api.post("/core/groups/", { name: "acme-admins" });
        await expect(create(provider, { ...common(), name: "acme-admins", attributes: OWNER })).rejects.toThrow(
            'authentik group "acme-admins": name: group with this name already exists; set authentik.adopt to true to take over the existing group',
        );
    });

    it("adopts an existing group when asked, PATCHing it to the desired state and marking it", async () => {
        const existing = await ak.api.post("/core/groups/", { name: "acme-admins", is_superuser: true, attributes: { notes: "kept" } });
        const { id, state } = await create(provider, { ...common(), adopt: true, name: "acme-admins", attributes: OWNER });
        expect(id).toBe(existing.body.pk);
        expect(state).toMatchObject({ isSuperuser: false, attributes: OWNER });
        expect((await ak.api.get(`/core/groups/${id}/`)).body.attributes).toEqual({ notes: "kept", ...OWNER });
    });

    it("releases an adopted group on destroy: left in place with what it had, only this stack's mark removed", async () => {
        const existing = await ak.api.post("/core/groups/", { name: "acme-admins", attributes: { notes: "kept" } });
        const { id, state } = await create(provider, { ...common(), adopt: true, name: "acme-admins", attributes: OWNER });
        expect(state.adopted).toBe(true);
        const read = await provider.read(id, state);
        expect(read.props?.adopted).toBe(true);
        await provider.delete(id, read.props as Record<string, unknown>);
        const after = await ak.api.get(`/core/groups/${existing.body.pk}/`);
        expect(after.status).toBe(200);
        expect(after.body.attributes).toEqual({ notes: "kept" });
    });

    it("never takes over another stack's group, adopt or not, and says whose it is", async () => {
        await ak.api.post("/core/groups/", { name: "acme-admins", attributes: { "gatehouse/owner": "gatehouse/dev" } });
        for (const adopt of [false, true]) {
            await expect(create(provider, { ...common(), adopt, name: "acme-admins", attributes: OWNER })).rejects.toThrow(
                'authentik group "acme-admins": name: group with this name already exists, and it belongs to stack gatehouse/dev (its gatehouse/owner attribute); a stack never takes over another stack\'s objects',
            );
        }
        expect((await ak.api.get("/core/groups/?name=acme-admins")).body.results[0].attributes).toEqual({ "gatehouse/owner": "gatehouse/dev" });
    });

    it("takes over a group it created when the create's response was lost, without adopt and without a duplicate", async () => {
        const first = await create(provider, { ...common(), name: "acme-admins", attributes: OWNER });
        // The engine never recorded the first create (interrupted `pulumi up`): it creates again.
        const second = await create(provider, { ...common(), name: "acme-admins", attributes: OWNER });
        expect(second.id).toBe(first.id);
        const all = await ak.api.get("/core/groups/?name=acme-admins");
        expect(all.body.pagination.count).toBe(1);
    });

    it("fails an update of a group deleted outside Pulumi, saying to refresh", async () => {
        const { id, state, inputs } = await create(provider, { ...common(), name: "acme-admins", attributes: OWNER });
        await ak.api.delete(`/core/groups/${id}/`);
        await expect(provider.update(id, state, { ...inputs, isSuperuser: true })).rejects.toThrow(
            `authentik group "acme-admins": it no longer exists at ${ak.url} (deleted outside Pulumi?); run \`pulumi refresh\` and update again to recreate it`,
        );
    });
});

describe("user", () => {
    const provider = providerFor(userKind);
    const groups = providerFor(groupKind);

    it("creates a user in its groups with a password, updates the password only when it changes", async () => {
        const editors = await create(groups, { ...common(), name: "acme-editors", attributes: OWNER });
        const org = await create(groups, { ...common(), name: "acme-org-ACR", attributes: OWNER });
        const { id, state, inputs } = await create(provider, {
            ...common(),
            username: "eddie",
            name: "Eddie Editor",
            email: "eddie@example.test",
            path: "users/acme-test",
            groups: [editors.id, org.id],
            attributes: OWNER,
            password: "first-Passw0rd",
        });
        expect(ak.emulator.checkPassword("eddie", "first-Passw0rd")).toBe(true);
        expect(state).toMatchObject({ username: "eddie", groups: [editors.id, org.id], path: "users/acme-test", type: "internal", isActive: true, password: "first-Passw0rd" });
        expect((await ak.api.get(`/core/users/${id}/`)).body).toMatchObject({ username: "eddie", email: "eddie@example.test", groups: expect.arrayContaining([editors.id, org.id]) });

        const requests = recordRequests();
        try {
            // Same password, other name: no set_password.
            const renamed = await provider.update(id, state, { ...inputs, name: "Eddie E." });
            // New password: set_password, and nothing else is written.
            expect(await provider.diff(id, renamed.outs, { ...inputs, name: "Eddie E.", password: "second-Passw0rd" })).toMatchObject({ changes: true, replaces: [] });
            await provider.update(id, renamed.outs, { ...inputs, name: "Eddie E.", password: "second-Passw0rd" });
        } finally {
            requests.stop();
        }
        const writes = requests.sent.filter((r) => r.method !== "GET");
        expect(writes).toEqual([
            { method: "PATCH", path: `/api/v3/core/users/${id}/`, body: { name: "Eddie E." } },
            { method: "POST", path: `/api/v3/core/users/${id}/set_password/`, body: { password: "second-Passw0rd" } },
        ]);
        expect(ak.emulator.checkPassword("eddie", "second-Passw0rd")).toBe(true);
    });

    it("keeps the password out of the server's answer but in the (secret) state, and refresh keeps it", async () => {
        const { id, state } = await create(provider, { ...common(), username: "alice", name: "Alice", attributes: OWNER, password: "alice-Passw0rd" });
        expect(JSON.stringify((await ak.api.get(`/core/users/${id}/`)).body)).not.toContain("alice-Passw0rd");
        const read = await provider.read(id, state);
        expect(read.props?.password).toBe("alice-Passw0rd");
    });

    it("reports group membership changed in the UI as drift, and restores it", async () => {
        const viewers = await create(groups, { ...common(), name: "acme-viewers", attributes: OWNER });
        const admins = await create(groups, { ...common(), name: "acme-admins", attributes: OWNER });
        const { id, state, inputs } = await create(provider, { ...common(), username: "victor", name: "Victor", groups: [viewers.id], attributes: OWNER });
        await ak.api.patch(`/core/users/${id}/`, { groups: [viewers.id, admins.id] });
        const read = await provider.read(id, state);
        expect(read.props?.groups).toEqual(expect.arrayContaining([viewers.id, admins.id]));
        expect((await provider.diff(id, read.props, inputs)).changes).toBe(true);
        await provider.update(id, read.props, inputs);
        expect((await ak.api.get(`/core/users/${id}/`)).body.groups).toEqual([viewers.id]);
    });

    it("adopts an existing user when asked and sets the password", async () => {
        const existing = await ak.api.post("/core/users/", { username: "alice", name: "Old Name", attributes: { settings: { locale: "de" } } });
        const { id } = await create(provider, { ...common(), adopt: true, username: "alice", name: "Alice", attributes: OWNER, password: "adopted-Passw0rd" });
        expect(id).toBe(String(existing.body.pk));
        expect((await ak.api.get(`/core/users/${id}/`)).body).toMatchObject({ name: "Alice", attributes: { settings: { locale: "de" }, ...OWNER } });
        expect(ak.emulator.checkPassword("alice", "adopted-Passw0rd")).toBe(true);
    });

    it("refuses Authentik's own user type and bad paths at check", async () => {
        const checked = await provider.check({}, { ...common(), username: "x", name: "X", type: "internal_service_account", path: "/users" });
        expect(checked.failures?.map((f) => f.property)).toEqual(["type", "path"]);
    });
});

describe("scope mapping", () => {
    const provider = providerFor(scopeMappingKind);
    const groupsScope = () => ({ ...common(), name: "acme-dev-groups", scopeName: "groups", expression: GROUPS_EXPRESSION, description: "Your group memberships" });

    it("creates, updates the expression in place, deletes", async () => {
        const { id, state, inputs } = await create(provider, groupsScope());
        expect((await ak.api.get(`/propertymappings/provider/scope/${id}/`)).body).toMatchObject({ name: "acme-dev-groups", scope_name: "groups", expression: GROUPS_EXPRESSION, managed: null });
        const expression = 'return {"groups": []}';
        const { outs } = await provider.update(id, state, { ...inputs, expression });
        expect(outs.expression).toBe(expression);
        await provider.delete(id, outs);
        expect((await ak.api.get(`/propertymappings/provider/scope/${id}/`)).status).toBe(404);
    });

    it("takes over an identical mapping (its own lost create) but not a different one", async () => {
        const first = await create(provider, groupsScope());
        expect((await create(provider, groupsScope())).id).toBe(first.id);
        await expect(create(provider, { ...groupsScope(), expression: "return {}" })).rejects.toThrow(
            'authentik scope mapping "acme-dev-groups": name: scope mapping with this name already exists; set authentik.adopt to true to take over the existing scope mapping',
        );
    });
});

describe("lookups", () => {
    const options = { retry: DEFAULT_RETRY };

    it("find a flow by slug, a key pair by name, a managed scope mapping by managed id", async () => {
        const flow = await readLookup(flowLookup, "flow:x", ak.url, "default-provider-authorization-implicit-consent", options);
        expect(flow.props).toMatchObject({ slug: "default-provider-authorization-implicit-consent", designation: "authorization", pk: expect.any(String) });
        const key = await readLookup(certificateKeyPairLookup, "kp", ak.url, "authentik Self-signed Certificate", options);
        expect(key.props?.pk).toEqual(expect.any(String));
        const openid = await readLookup(managedScopeMappingLookup, "sm", ak.url, "goauthentik.io/providers/oauth2/scope-openid", options);
        expect(openid.props).toMatchObject({ scopeName: "openid" });
    });

    it("fail naming what was looked for", async () => {
        await expect(readLookup(flowLookup, "flow:x", ak.url, "no-such-flow", options)).rejects.toThrow(`authentik flow with slug "no-such-flow" was not found at ${ak.url}`);
        await expect(readLookup(managedScopeMappingLookup, "sm", ak.url, "goauthentik.io/nope", options)).rejects.toThrow(
            `authentik scope mapping with managed id "goauthentik.io/nope" was not found at ${ak.url}`,
        );
    });

    it("refuse a certificate without private key: it cannot sign tokens", async () => {
        await ak.api.post("/crypto/certificatekeypairs/", { name: "public only", certificate_data: SELF_SIGNED_CERTIFICATE });
        await expect(readLookup(certificateKeyPairLookup, "kp", ak.url, "public only", options)).rejects.toThrow(
            'authentik certificate key pair with name "public only" cannot be used: it has no private key, so it cannot sign tokens',
        );
    });
});

/** The provider's dependencies, looked up as the component does. */
async function oidcDependencies() {
    const options = { retry: DEFAULT_RETRY };
    const pk = async (p: Promise<{ props?: Record<string, unknown> }>) => String((await p).props?.pk);
    return {
        authorizationFlow: await pk(readLookup(flowLookup, "f", ak.url, "default-provider-authorization-implicit-consent", options)),
        invalidationFlow: await pk(readLookup(flowLookup, "f", ak.url, "default-provider-invalidation-flow", options)),
        signingKey: await pk(readLookup(certificateKeyPairLookup, "k", ak.url, "authentik Self-signed Certificate", options)),
        propertyMappings: [
            await pk(readLookup(managedScopeMappingLookup, "s", ak.url, "goauthentik.io/providers/oauth2/scope-openid", options)),
            await pk(readLookup(managedScopeMappingLookup, "s", ak.url, "goauthentik.io/providers/oauth2/scope-email", options)),
        ],
    };
}

describe("OAuth2 provider", () => {
    const provider = providerFor(oauth2ProviderKind);
    const SECRET = "a-client-secret-from-RandomPassword-0123456789";
    const args = async () => ({
        ...common(),
        name: "acme-dev",
        clientId: "acme-dev",
        clientSecret: SECRET,
        redirectUris: ["http://localhost:5000/oauth/callback"],
        ...(await oidcDependencies()),
    });

    it("creates a confidential client with our id and secret, strict redirect and logout URIs, the browser grants and a signing key", async () => {
        const { id, state } = await create(provider, { ...(await args()), logoutRedirectUris: ["http://localhost:5000/"] });
        const remote = (await ak.api.get(`/providers/oauth2/${id}/`)).body;
        expect(remote).toMatchObject({
            name: "acme-dev",
            client_type: "confidential",
            client_id: "acme-dev",
            client_secret: SECRET,
            redirect_uris: [
                { matching_mode: "strict", url: "http://localhost:5000/oauth/callback", redirect_uri_type: "authorization" },
                { matching_mode: "strict", url: "http://localhost:5000/", redirect_uri_type: "logout" },
            ],
            grant_types: ["authorization_code", "refresh_token"],
            signing_key: state.signingKey,
            issuer_mode: "per_provider",
            sub_mode: "user_uuid",
            include_claims_in_id_token: true,
            access_token_validity: "minutes=5",
        });
        expect(state).toMatchObject({ clientSecret: SECRET, pk: Number(id) });
    });

    it("sees no change when the server lists the mappings in another order", async () => {
        const { id, state, inputs } = await create(provider, await args());
        const reversed = { ...inputs, propertyMappings: [...(inputs.propertyMappings as string[])].reverse() };
        expect(await provider.diff(id, state, reversed)).toMatchObject({ changes: false, replaces: [], deleteBeforeReplace: false });
        const read = await provider.read(id, state);
        expect(await provider.diff(id, read.props, inputs)).toMatchObject({ changes: false, replaces: [], deleteBeforeReplace: false });
    });

    it("reports a client secret regenerated in the UI as drift and puts ours back", async () => {
        const { id, state, inputs } = await create(provider, await args());
        await ak.api.patch(`/providers/oauth2/${id}/`, { client_secret: "regenerated-in-the-ui" });
        const read = await provider.read(id, state);
        expect(read.props?.clientSecret).toBe("regenerated-in-the-ui");
        expect((await provider.diff(id, read.props, inputs)).changes).toBe(true);
        const requests = recordRequests();
        try {
            await provider.update(id, read.props, inputs);
        } finally {
            requests.stop();
        }
        expect(requests.sent.filter((r) => r.method === "PATCH").map((r) => r.body)).toEqual([{ client_secret: SECRET }]);
    });

    it("rotates the client secret in place", async () => {
        const { id, state, inputs } = await create(provider, await args());
        const { outs } = await provider.update(id, state, { ...inputs, clientSecret: "rotated-secret" });
        expect(outs.clientSecret).toBe("rotated-secret");
        expect((await ak.api.get(`/providers/oauth2/${id}/`)).body.client_secret).toBe("rotated-secret");
    });

    it("takes over a provider holding our client secret (a lost create) and refuses one that does not, without echoing secrets", async () => {
        const first = await create(provider, await args());
        expect((await create(provider, await args())).id).toBe(first.id);
        const other = { ...(await args()), clientSecret: "another-secret-value" };
        const error = await create(provider, other).catch((e: Error) => e);
        expect(String(error)).toContain('authentik OAuth2 provider "acme-dev": name: OAuth2 provider with this name already exists');
        expect(String(error)).not.toContain("another-secret-value");
        expect(String(error)).not.toContain(SECRET);
    });

    it("adopts a provider from before 2026.5 (every grant, a regex redirect URI) and converges it to exactly ours", async () => {
        const body = { name: "acme-dev", client_id: "acme-dev", client_secret: "theirs-0123456789" };
        const legacy = await ak.api.post("/providers/oauth2/", {
            ...body,
            authorization_flow: (await oidcDependencies()).authorizationFlow,
            invalidation_flow: (await oidcDependencies()).invalidationFlow,
            grant_types: ["authorization_code", "implicit", "hybrid", "refresh_token", "client_credentials", "password"],
            redirect_uris: [{ matching_mode: "regex", url: "https?://.*" }],
        });
        expect(legacy.status).toBe(201);
        const { id } = await create(provider, { ...(await args()), adopt: true, logoutRedirectUris: ["http://localhost:5000/"] });
        expect(id).toBe(String(legacy.body.pk));
        expect((await ak.api.get(`/providers/oauth2/${id}/`)).body).toMatchObject({
            grant_types: ["authorization_code", "refresh_token"],
            redirect_uris: [
                { matching_mode: "strict", url: "http://localhost:5000/oauth/callback", redirect_uri_type: "authorization" },
                { matching_mode: "strict", url: "http://localhost:5000/", redirect_uri_type: "logout" },
            ],
            client_secret: SECRET,
        });
    });
});

describe("policy binding", () => {
    const provider = providerFor(policyBindingKind);
    const target = async () => {
        const pk = (await create(providerFor(oauth2ProviderKind), { ...common(), name: "p", clientId: "p", clientSecret: "s-0123456789", redirectUris: ["http://localhost:5000/cb"], ...(await oidcDependencies()) })).id;
        return (await create(providerFor(applicationKind), { ...common(), slug: "acme", provider: Number(pk) })).state.pk as string;
    };
    const group = async (name: string) => (await create(providerFor(groupKind), { ...common(), name, attributes: OWNER })).id;

    it("binds a group to the application, updates the order in place, deletes", async () => {
        const [app, admins] = [await target(), await group("acme-admins")];
        const { id, state, inputs } = await create(provider, { ...common(), group: admins, target: app, order: 10 });
        expect((await ak.api.get(`/policies/bindings/${id}/`)).body).toMatchObject({ group: admins, target: app, order: 10, enabled: true, negate: false, policy: null, user: null });
        const { outs } = await provider.update(id, state, { ...inputs, order: 20 });
        expect(outs).toMatchObject({ order: 20, group: admins, target: app });
        expect(await provider.diff(id, outs, { ...inputs, group: await group("acme-editors") })).toMatchObject({ replaces: ["group"] });
        await provider.delete(id, outs);
        expect((await ak.api.get(`/policies/bindings/${id}/`)).status).toBe(404);
    });

    it("takes over its own binding after a lost create instead of binding the group twice", async () => {
        const [app, admins] = [await target(), await group("acme-admins")];
        const first = await create(provider, { ...common(), group: admins, target: app, order: 10 });
        expect((await create(provider, { ...common(), group: admins, target: app, order: 10 })).id).toBe(first.id);
        expect((await ak.api.get(`/policies/bindings/?target=${app}`)).body.pagination.count).toBe(1);
    });
});

describe("application", () => {
    const provider = providerFor(applicationKind);
    const providers = providerFor(oauth2ProviderKind);
    const oauth = async (name: string) =>
        Number(
            (
                await create(providers, {
                    ...common(),
                    name,
                    clientId: name,
                    clientSecret: `secret-of-${name}`,
                    redirectUris: ["http://localhost:5000/oauth/callback"],
                    ...(await oidcDependencies()),
                })
            ).id,
        );

    it("binds a slug to the provider, updates in place, deletes", async () => {
        const pk = await oauth("acme-dev");
        const { id, state, inputs } = await create(provider, { ...common(), slug: "acme", name: "Acme", provider: pk, metaLaunchUrl: "http://localhost:5000", policyEngineMode: "any" });
        // The id is the pk (what bindings target, known in a preview); the API is addressed by the slug.
        expect(id).toBe(state.pk);
        expect((await ak.api.get("/core/applications/acme/")).body).toMatchObject({ pk: id, slug: "acme", name: "Acme", provider: pk, meta_launch_url: "http://localhost:5000", policy_engine_mode: "any" });
        expect((await ak.api.get(`/providers/oauth2/${pk}/`)).body.assigned_application_slug).toBe("acme");
        const { outs } = await provider.update(id, state, { ...inputs, name: "Acme Dev", policyEngineMode: "all" });
        expect(outs).toMatchObject({ name: "Acme Dev", policyEngineMode: "all" });
        await provider.delete(id, outs);
        expect((await ak.api.get("/core/applications/acme/")).status).toBe(404);
    });

    it("still reads, updates and deletes an application recorded with its slug as id, and refresh moves the id to the pk", async () => {
        const { state, inputs } = await create(provider, { ...common(), slug: "acme", name: "Acme", provider: await oauth("acme-dev") });
        const read = await provider.read("acme", state);
        expect(read.id).toBe(state.pk);
        const { outs } = await provider.update("acme", state, { ...inputs, name: "Acme Old" });
        expect(outs).toMatchObject({ name: "Acme Old", pk: state.pk });
        await provider.delete("acme", outs);
        expect((await ak.api.get("/core/applications/acme/")).status).toBe(404);
    });

    it("takes over the application bound to our provider (a lost create), refuses one bound elsewhere", async () => {
        const ours = await oauth("acme-dev");
        const first = await create(provider, { ...common(), slug: "acme", name: "Acme", provider: ours });
        expect((await create(provider, { ...common(), slug: "acme", name: "Acme", provider: ours })).id).toBe(first.id);
        await ak.api.delete("/core/applications/acme/");
        const theirs = await oauth("someone-else");
        await ak.api.post("/core/applications/", { slug: "acme", name: "Theirs", provider: theirs });
        await expect(create(provider, { ...common(), slug: "acme", name: "Acme", provider: ours })).rejects.toThrow(
            'authentik application "acme": slug: application with this slug already exists; set authentik.adopt to true to take over the existing application',
        );
    });
});

describe("brand", () => {
    const provider = providerFor(brandKind);

    it("creates a brand for a domain, keeps Authentik's settings attributes, updates the title in place", async () => {
        const css = ".x {\n    color: #1f4e79;\n}\n";
        const { id, state, inputs } = await create(provider, { ...common(), domain: "auth.acme.test", title: "Acme", logo: "/static/dist/assets/icons/icon_left_brand.svg", customCss: css, attributes: OWNER });
        expect((await ak.api.get(`/core/brands/${id}/`)).body).toMatchObject({ domain: "auth.acme.test", default: false, branding_title: "Acme", branding_custom_css: css.trim() });
        // Authentik trims the stylesheet's final newline; that is no change.
        const read = await provider.read(id, state);
        expect(await provider.diff(id, read.props, (await provider.check({}, { ...common(), domain: "auth.acme.test", title: "Acme", logo: "/static/dist/assets/icons/icon_left_brand.svg", customCss: css, attributes: OWNER })).inputs)).toMatchObject({ changes: false });
        await ak.api.patch(`/core/brands/${id}/`, { attributes: { ...OWNER, settings: { theme: { base: "dark" } } } });
        const { outs } = await provider.update(id, state, { ...inputs, title: "Acme (dev)" });
        expect(outs.title).toBe("Acme (dev)");
        expect((await ak.api.get(`/core/brands/${id}/`)).body.attributes).toEqual({ ...OWNER, settings: { theme: { base: "dark" } } });
    });

    it("finds an existing brand by domain instead of creating a second one", async () => {
        await ak.api.post("/core/brands/", { domain: "auth.acme.test" });
        await expect(create(provider, { ...common(), domain: "auth.acme.test", attributes: OWNER })).rejects.toThrow(
            'authentik brand "auth.acme.test": domain: brand with this domain already exists; set authentik.adopt to true to take over the existing brand',
        );
        const { id } = await create(provider, { ...common(), adopt: true, domain: "auth.acme.test", title: "Acme", attributes: OWNER });
        const all = (await ak.api.get("/core/brands/")).body.results as { domain: string; brand_uuid: string }[];
        expect(all.filter((b) => b.domain === "auth.acme.test").map((b) => b.brand_uuid)).toEqual([id]);
    });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "..";

/** The blueprint import endpoint (`POST /managed/blueprints/import/`), as authentik's Importer applies a file. */
let ak: Emulator;
beforeAll(async () => {
    ak = await startEmulator({ token: "bp-token" });
});
afterAll(async () => {
    await ak?.stop();
});
beforeEach(() => ak.reset());

async function importBlueprint(yaml: string | undefined): Promise<{ status: number; body: { success: boolean; logs: { log_level: string; event: string; attributes: Record<string, unknown> }[] } | undefined; text: string }> {
    const form = new FormData();
    if (yaml !== undefined) form.append("file", new Blob([yaml], { type: "application/yaml" }), "blueprint.yaml");
    const response = await fetch(`${ak.url}/api/v3/managed/blueprints/import/`, { method: "POST", headers: { Authorization: "Bearer bp-token" }, body: form });
    const text = await response.text();
    return { status: response.status, body: response.headers.get("content-type")?.includes("json") ? JSON.parse(text) : undefined, text };
}

async function list(path: string): Promise<Record<string, unknown>[]> {
    const response = await fetch(`${ak.url}/api/v3/${path}?page_size=100`, { headers: { Authorization: "Bearer bp-token" } });
    return ((await response.json()) as { results: Record<string, unknown>[] }).results;
}

const PROVIDER_AND_APP = `
version: 1
metadata: { name: test }
entries:
  - model: authentik_core.group
    id: admins
    identifiers: { name: bp-admins }
    attrs: { attributes: { team: a } }
  - model: authentik_providers_oauth2.oauth2provider
    id: provider
    identifiers: { name: bp-provider }
    attrs:
      client_type: confidential
      client_id: bp-client
      client_secret: !Env [BP_TEST_CLIENT_SECRET, fallback-secret]
      redirect_uris: [{ matching_mode: strict, url: "http://localhost/cb", redirect_uri_type: authorization }]
      authorization_flow: !Find [authentik_flows.flow, [slug, default-provider-authorization-implicit-consent]]
      invalidation_flow: !Find [authentik_flows.flow, [slug, default-provider-invalidation-flow]]
      signing_key: !Find [authentik_crypto.certificatekeypair, [name, authentik Self-signed Certificate]]
      property_mappings: [!Find [authentik_providers_oauth2.scopemapping, [managed, goauthentik.io/providers/oauth2/scope-openid]]]
  - model: authentik_core.application
    id: app
    identifiers: { slug: bp-app }
    attrs: { name: !Format ["BP %s", app], provider: !KeyOf provider }
  - model: authentik_policies.policybinding
    identifiers: { group: !KeyOf admins, target: !KeyOf app }
    attrs: { order: 10 }
`;

describe("blueprint import", () => {
    it("applies entries in order, resolving !KeyOf, !Find, !Env and !Format", async () => {
        process.env.BP_TEST_CLIENT_SECRET = "from-the-worker-environment";
        try {
            const { status, body } = await importBlueprint(PROVIDER_AND_APP);
            expect(status).toBe(200);
            expect(body?.success).toBe(true);
            expect(body?.logs.filter((l) => l.log_level === "warning")).toEqual([]);
        } finally {
            delete process.env.BP_TEST_CLIENT_SECRET;
        }
        const [provider] = (await list("providers/oauth2/")).filter((p) => p.name === "bp-provider");
        expect(provider).toMatchObject({ client_id: "bp-client", client_secret: "from-the-worker-environment", redirect_uris: [{ matching_mode: "strict", url: "http://localhost/cb", redirect_uri_type: "authorization" }] });
        const flows = await list("flows/instances/");
        expect(provider!.authorization_flow).toBe(flows.find((f) => f.slug === "default-provider-authorization-implicit-consent")!.pk);
        const [app] = (await list("core/applications/")).filter((a) => a.slug === "bp-app");
        expect(app).toMatchObject({ name: "BP app", provider: provider!.pk });
        const group = (await list("core/groups/")).find((g) => g.name === "bp-admins")!;
        const bindings = (await list("policies/bindings/")).filter((b) => b.target === app!.pk);
        expect(bindings).toMatchObject([{ group: group.pk, order: 10 }]);
    });

    it("updates what exists by its identifiers (present), leaves it alone when `created`, and deletes it when `absent`", async () => {
        await importBlueprint(PROVIDER_AND_APP);
        const again = await importBlueprint(`
version: 1
entries:
  - { model: authentik_core.group, identifiers: { name: bp-admins }, attrs: { attributes: { team: b } } }
  - { model: authentik_core.group, state: created, identifiers: { name: bp-admins }, attrs: { attributes: { team: c } } }
  - { model: authentik_core.group, state: absent, identifiers: { name: bp-nobody } }
  - { model: authentik_core.application, state: absent, identifiers: { slug: bp-app } }
`);
        expect(again.body?.success).toBe(true);
        const groups = (await list("core/groups/")).filter((g) => String(g.name).startsWith("bp-"));
        expect(groups.map((g) => [g.name, g.attributes])).toEqual([["bp-admins", { team: "b" }]]);
        expect((await list("core/applications/")).some((a) => a.slug === "bp-app")).toBe(false);
    });

    it("fails for a model it does not know, with authentik's log line, and applies nothing", async () => {
        const { status, body } = await importBlueprint(`
version: 1
entries:
  - { model: authentik_core.group, identifiers: { name: bp-first } }
  - { model: authentik_core.nosuchmodel, identifiers: { name: x } }
`);
        expect(status).toBe(200);
        expect(body?.success).toBe(false);
        expect(body?.logs.find((l) => l.log_level === "warning")).toMatchObject({ event: "App or Model does not exist", attributes: { app: "authentik_core", model: "nosuchmodel" } });
        expect((await list("core/groups/")).some((g) => g.name === "bp-first")).toBe(false);
    });

    it("fails an invalid entry with the serializer's errors, rolling back the entries before it", async () => {
        const { body } = await importBlueprint(`
version: 1
entries:
  - { model: authentik_core.group, identifiers: { name: bp-first } }
  - { model: authentik_core.application, identifiers: { slug: "not a slug!" }, attrs: { name: x } }
`);
        expect(body?.success).toBe(false);
        const warning = body?.logs.find((l) => l.log_level === "warning");
        expect(warning?.event).toMatch(/^Entry invalid: Serializer errors \{'slug': \[/);
        expect((await list("core/groups/")).some((g) => g.name === "bp-first")).toBe(false);
    });

    it("fails a !KeyOf to no entry, a !Find of an unknown model, and a tag it does not emulate, naming each", async () => {
        const events = async (attrs: string) =>
            (await importBlueprint(`version: 1\nentries:\n  - { model: authentik_core.group, identifiers: { name: bp-x }, attrs: ${attrs} }\n`)).body?.logs.filter((l) => l.log_level === "warning").map((l) => l.event)[0];
        expect(await events("{ parents: [!KeyOf missing] }")).toBe("Entry invalid: KeyOf: failed to find entry with `id` of `missing` and a model instance");
        expect(await events("{ parents: [!Find [authentik_core.nothing, [name, x]]] }")).toBe("Entry invalid: App 'authentik_core' doesn't have a 'nothing' model.");
        expect(await events("{ is_superuser: !If [true, true, false] }")).toMatch(/^Entry invalid: !If is not emulated by the Gatehouse authentik emulator/);
    });

    it("answers a tag authentik does not know with a bare HTTP 500, a wrong version with its log line, and no file with 400", async () => {
        const unknownTag = await importBlueprint("version: 1\nentries:\n  - { model: authentik_core.group, identifiers: { name: !Nope x } }\n");
        expect(unknownTag.status).toBe(500);
        expect(unknownTag.text).toBe("<h1>Server Error (500)</h1>");
        const version = await importBlueprint("version: 2\nentries: []\n");
        expect(version.body).toMatchObject({ success: false, logs: [{ event: "Invalid blueprint version" }] });
        expect(await importBlueprint(undefined)).toMatchObject({ status: 400, body: { logs: [], success: false } });
    });

    it("sets a user's password from the blueprint (blueprint-only field) and lists no instances", async () => {
        const { body } = await importBlueprint(`
version: 1
entries:
  - { model: authentik_core.user, identifiers: { username: bp-user }, attrs: { name: BP, password: bp-password-123 } }
`);
        expect(body?.success).toBe(true);
        expect(ak.checkPassword("bp-user", "bp-password-123")).toBe(true);
        expect(await list("managed/blueprints/")).toEqual([]);
    });
});

import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { forgetStackToken, TOKEN_ENV } from "../../infra/authentik/core/connection";
import { crudProvider } from "../../infra/authentik/core/provider";
import { groupKind } from "../../infra/authentik/group";
import { userKind } from "../../infra/authentik/user";
import { create, faultyProxy, providerFor, startAuthentik, TOKEN, type TestAuthentik } from "./harness";

/**
 * Errors name the object and the field and carry no secret; the token reaches the provider from the environment
 * or from stack config; timeouts, dropped connections and 5xx are retried a bounded number of times.
 */
let ak: TestAuthentik;
let proxy: Awaited<ReturnType<typeof faultyProxy>>;
const OWNER = { "gatehouse/owner": "gatehouse/test" };
const groups = providerFor(groupKind);

beforeAll(async () => {
    ak = await startAuthentik();
    proxy = await faultyProxy(ak.url);
});
afterAll(async () => {
    await proxy?.stop();
    await ak?.emulator.stop();
});
beforeEach(() => {
    ak.emulator.reset();
    proxy.seen.length = 0;
    proxy.inject([]);
});
afterEach(() => {
    process.env[TOKEN_ENV] = TOKEN;
    forgetStackToken();
});

describe("messages", () => {
    it("turns a 400 into `authentik <kind> \"<key>\": <field>: <message>`", async () => {
        await create(groups, { url: ak.url, adopt: false, name: "acme-viewers", attributes: OWNER });
        const admins = await create(groups, { url: ak.url, adopt: false, name: "acme-admins", attributes: OWNER });
        await expect(groups.update(admins.id, admins.state, { ...admins.inputs, name: "acme-viewers" })).rejects.toThrow(
            /^authentik group "acme-viewers": name: Group with this name already exists$/,
        );
    });

    it("says the token is missing or lacks permission on a 403, without echoing it", async () => {
        process.env[TOKEN_ENV] = "not-the-token-9c2e";
        const error = await create(groups, { url: ak.url, adopt: false, name: "acme-admins", attributes: OWNER }).catch((e: Error) => e);
        expect(String(error)).toMatch(/^Error: authentik group "acme-admins": the Authentik API token is missing, invalid or lacks permission \(HTTP 403 on \/api\/v3\/core\/groups\/: .+\)$/);
        expect(String(error)).not.toContain("not-the-token-9c2e");
    });

    it("says how to set the token when there is none", async () => {
        delete process.env[TOKEN_ENV];
        await expect(create(groups, { url: ak.url, adopt: false, name: "acme-admins", attributes: OWNER })).rejects.toThrow(
            'authentik group "acme-admins": no Authentik API token: set it with `pulumi config set --secret --path authentik.token <token>` (or GATEHOUSE_AUTHENTIK_TOKEN in the environment of `pulumi`)',
        );
    });

    it("says it cannot reach Authentik when the connection is refused", async () => {
        const port = await closedPort();
        const url = `http://127.0.0.1:${port}`;
        await expect(create(groups, { url, adopt: false, name: "acme-admins", attributes: OWNER })).rejects.toThrow(
            `authentik group "acme-admins": cannot reach Authentik at ${url} (ECONNREFUSED)`,
        );
    });

    it("never puts a password into a message", async () => {
        const users = providerFor(userKind);
        await ak.api.post("/core/users/", { username: "eddie", name: "Someone" });
        const error = await create(users, { url: ak.url, adopt: false, username: "eddie", name: "Eddie", attributes: OWNER, password: "pa55-Secret-value" }).catch((e: Error) => e);
        expect(String(error)).toContain('authentik user "eddie": username: user with this username already exists');
        expect(String(error)).not.toContain("pa55-Secret-value");
    });
});

describe("the token", () => {
    it("comes from stack config (`authentik.token`, as `configure` passes it) when the environment has none", async () => {
        delete process.env[TOKEN_ENV];
        const provider = crudProvider(groupKind);
        await provider.configure?.({ config: { get: (key) => (key === "authentik" ? JSON.stringify({ url: ak.url, token: TOKEN }) : undefined), require: () => "" } });
        const checked = await provider.check!({}, { url: ak.url, name: "acme-admins", attributes: OWNER });
        const created = await provider.create(checked.inputs);
        expect((await ak.api.get(`/core/groups/${created.id}/`)).status).toBe(200);
    });

    it("is overridden by GATEHOUSE_AUTHENTIK_TOKEN in the environment of `pulumi`", async () => {
        const provider = crudProvider(groupKind);
        await provider.configure?.({ config: { get: (key) => (key === "authentik" ? JSON.stringify({ token: "stale-token" }) : undefined), require: () => "" } });
        const checked = await provider.check!({}, { url: ak.url, name: "acme-admins", attributes: OWNER });
        await expect(provider.create(checked.inputs)).resolves.toMatchObject({ id: expect.any(String) });
    });

    it("is not an input and not in state", async () => {
        const { state, inputs } = await create(groups, { url: ak.url, adopt: false, name: "acme-admins", attributes: OWNER });
        expect(JSON.stringify([state, inputs])).not.toContain(TOKEN);
    });
});

describe("retries", () => {
    const viaProxy = () => ({ url: proxy.url, adopt: false, name: "acme-admins", attributes: OWNER });
    const posts = () => proxy.seen.filter((s) => s.startsWith("POST"));

    it("retry 5xx with backoff, then succeed", async () => {
        proxy.inject(["503", "503"], (method) => method === "POST");
        const { id } = await create(groups, viaProxy());
        expect(posts()).toHaveLength(3);
        expect((await ak.api.get(`/core/groups/${id}/`)).status).toBe(200);
    });

    it("retry timeouts and dropped connections", async () => {
        proxy.inject(["hang", "reset"], (method) => method === "GET");
        await create(groups, viaProxy());
        expect(proxy.seen.filter((s) => s.startsWith("GET"))).toHaveLength(3);
    });

    it("stop after a bounded number of attempts and say what kept failing", async () => {
        proxy.inject(["503", "503", "503", "503"], (method) => method === "POST");
        await expect(create(groups, viaProxy())).rejects.toThrow(
            `authentik group "acme-admins": Authentik at ${proxy.url} answered HTTP 503 Service Unavailable to POST /api/v3/core/groups/, 3 attempts`,
        );
        proxy.inject(["hang", "hang", "hang"]);
        await expect(create(groups, viaProxy())).rejects.toThrow(
            `authentik group "acme-admins": Authentik at ${proxy.url} did not answer within 0.4s to GET /api/v3/core/groups/, 3 attempts`,
        );
    });

    it("a POST that landed but whose answer was lost is retried and converges on the one object it created", async () => {
        // The proxy forwards the first POST and then hangs up on the client: the group exists, the answer is lost.
        proxy.inject(["lost"], (method) => method === "POST");
        const { id } = await create(groups, viaProxy());
        const all = await ak.api.get("/core/groups/?name=acme-admins");
        expect(all.body.pagination.count).toBe(1);
        expect(all.body.results[0].pk).toBe(id);
    });
});

async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
}

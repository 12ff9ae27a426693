import { beforeEach, describe, expect, it } from "vitest";
import { useEmulator } from "./fixture";
import { startEmulator } from "./index";
import { EmulatorServer } from "./server";
import { loadOpenApi } from "./schema/openapi";
import { RawClient } from "./testing";
import type { AddressInfo } from "node:net";

const TOKEN = "test-token-0123456789";
const ak = useEmulator(TOKEN);
const { api } = ak;

describe("authentication (authentik/api/authentication.py)", () => {
    it("403s without credentials with DRF's NotAuthenticated detail", async () => {
        const res = await new RawClient(ak.url, undefined).get("/core/applications/");
        expect(res.status).toBe(403);
        expect(res.body).toEqual({ detail: "Authentication credentials were not provided." });
    });

    it("403s a wrong token with 'Token invalid/expired'", async () => {
        const res = await new RawClient(ak.url, "wrong").get("/core/applications/");
        expect(res.status).toBe(403);
        expect(res.body).toEqual({ detail: "Token invalid/expired" });
    });

    it("403s a non-bearer scheme and a header without credentials", async () => {
        const basic = await new RawClient(ak.url, undefined).request("GET", "/api/v3/core/users/", undefined, {
            Authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString("base64")}`,
        });
        expect(basic.status).toBe(403);
        expect(basic.body).toEqual({ detail: "Unsupported authentication type" });
        const bare = await new RawClient(ak.url, undefined).request("GET", "/api/v3/core/users/", undefined, {
            Authorization: "Bearer",
        });
        expect(bare.body).toEqual({ detail: "Authentication credentials were not provided." });
    });

    it("authenticates before looking objects up (no 404 leak)", async () => {
        const res = await new RawClient(ak.url, "wrong").get("/core/applications/does-not-exist/");
        expect(res.status).toBe(403);
    });

    it("accepts the token case-insensitively on the scheme", async () => {
        const res = await new RawClient(ak.url, undefined).request("GET", "/api/v3/core/users/", undefined, {
            Authorization: `bearer ${TOKEN}`,
        });
        expect(res.status).toBe(200);
    });
});

describe("routing and request parsing", () => {
    it("404s unknown paths with Django's page and 405s unknown methods", async () => {
        const unknown = await api.get("/core/nothing-here/");
        expect(unknown.status).toBe(404);
        expect(unknown.text).toContain("<title>Not Found</title>");
        const method = await api.request("PUT", "/api/v3/core/applications/");
        expect(method.status).toBe(405);
        expect(method.body).toEqual({ detail: 'Method "PUT" not allowed.' });
    });

    it("answers 501 for schema operations the emulator does not implement", async () => {
        const res = await api.get("/core/tokens/");
        expect(res.status).toBe(501);
        expect(res.body.detail).toContain("core_tokens_list");
    });

    it("rejects malformed JSON with DRF's ParseError and non-objects as non_field_errors", async () => {
        const bad = await api.request("POST", "/api/v3/core/groups/", "{not json");
        expect(bad.status).toBe(400);
        expect(bad.body.detail).toMatch(/^JSON parse error - /);
        const list = await api.post("/core/groups/", [1, 2]);
        expect(list.status).toBe(400);
        expect(list.body).toEqual({ non_field_errors: ["Invalid data. Expected a dictionary, but got list."] });
    });

    it("rejects a non-JSON content type with 415", async () => {
        const res = await api.request("POST", "/api/v3/core/groups/", "name=x", { "Content-Type": "text/plain" });
        expect(res.status).toBe(415);
        expect(res.body).toEqual({ detail: 'Unsupported media type "text/plain" in request.' });
    });

    it("404s a lookup value the pk cannot parse with a bare 'Not found.'", async () => {
        const res = await api.get("/core/users/abc/");
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ detail: "Not found." });
    });
});

describe("pagination (authentik/api/pagination.py)", () => {
    beforeEach(async () => {
        for (let i = 0; i < 45; i++) {
            const res = await api.post("/core/groups/", { name: `group-${String(i).padStart(2, "0")}` });
            expect(res.status).toBe(201);
        }
    });

    it("defaults to 20 per page with the authentik envelope", async () => {
        const res = await api.get("/core/groups/");
        expect(res.status).toBe(200);
        expect(Object.keys(res.body).sort()).toEqual(["autocomplete", "pagination", "results"]);
        expect(res.body.pagination).toEqual({
            next: 2,
            previous: 0,
            count: 46,
            current: 1,
            total_pages: 3,
            start_index: 1,
            end_index: 20,
        });
        expect(res.body.results).toHaveLength(20);
        expect(res.body.autocomplete).toEqual({});
    });

    it("serves the last page with next 0", async () => {
        const res = await api.get("/core/groups/?page=3");
        expect(res.body.pagination).toEqual({
            next: 0,
            previous: 2,
            count: 46,
            current: 3,
            total_pages: 3,
            start_index: 41,
            end_index: 46,
        });
        expect(res.body.results).toHaveLength(6);
        const last = await api.get("/core/groups/?page=last");
        expect(last.body.pagination.current).toBe(3);
    });

    it("honours page_size, caps it at 100, and falls back to PAGE_SIZE for invalid values", async () => {
        expect((await api.get("/core/groups/?page_size=7")).body.results).toHaveLength(7);
        expect((await api.get("/core/groups/?page_size=500")).body.pagination.total_pages).toBe(1);
        expect((await api.get("/core/groups/?page_size=0")).body.results).toHaveLength(46);
        expect((await api.get("/core/groups/?page_size=abc")).body.results).toHaveLength(46);
    });

    it("404s pages out of range with 'Invalid page.'", async () => {
        for (const page of ["4", "0", "abc"]) {
            const res = await api.get(`/core/groups/?page=${page}`);
            expect(res.status).toBe(404);
            expect(res.body).toEqual({ detail: "Invalid page." });
        }
    });

    it("shows an empty first page for an empty result", async () => {
        const res = await api.get("/core/groups/?name=none");
        expect(res.body.pagination).toEqual({
            next: 0,
            previous: 0,
            count: 0,
            current: 1,
            total_pages: 1,
            start_index: 0,
            end_index: 0,
        });
    });

    it("orders by the viewset default and by ?ordering=, ignoring unknown fields", async () => {
        const asc = await api.get("/core/groups/?page_size=3");
        expect(asc.body.results.map((g: { name: string }) => g.name)).toEqual(["authentik Admins", "group-00", "group-01"]);
        const desc = await api.get("/core/groups/?page_size=2&ordering=-name");
        expect(desc.body.results.map((g: { name: string }) => g.name)).toEqual(["group-44", "group-43"]);
        const bogus = await api.get("/core/groups/?page_size=2&ordering=nonexistent");
        expect(bogus.body.results.map((g: { name: string }) => g.name)).toEqual(["authentik Admins", "group-00"]);
    });

    it("searches case-insensitively with every term required", async () => {
        const res = await api.get("/core/groups/?search=GROUP-4");
        expect(res.body.pagination.count).toBe(5);
        const two = await api.get("/core/groups/?search=group%2041");
        expect(two.body.results.map((g: { name: string }) => g.name)).toEqual(["group-41"]);
    });
});

describe("request log", () => {
    it("records method, path, status, duration and can be cleared", async () => {
        ak.clearLog();
        await api.get("/core/users/");
        await api.get("/core/users/999/");
        expect(ak.log).toHaveLength(2);
        expect(ak.log[0]).toMatchObject({ method: "GET", path: "/api/v3/core/users/", status: 200, operationId: "core_users_list" });
        expect(ak.log[1]).toMatchObject({ status: 404 });
        expect(ak.log[0]?.durationMs).toBeGreaterThan(0);
        ak.clearLog();
        expect(ak.log).toHaveLength(0);
    });

    it("is readable and clearable over HTTP with the same token", async () => {
        ak.clearLog();
        await api.get("/core/users/");
        const log = await api.request("GET", "/_emulator/log");
        expect(log.body).toEqual([expect.objectContaining({ path: "/api/v3/core/users/", status: 200 })]);
        expect((await api.request("DELETE", "/_emulator/log")).status).toBe(204);
        expect(ak.log).toHaveLength(0);
        expect((await new RawClient(ak.url, "x").request("GET", "/_emulator/log")).status).toBe(403);
    });

    it("reset() restores a fresh install", async () => {
        await api.post("/core/groups/", { name: "extra" });
        ak.reset();
        const res = await api.get("/core/groups/");
        expect(res.body.results.map((g: { name: string }) => g.name)).toEqual(["authentik Admins"]);
        expect(ak.log).toHaveLength(1);
    });
});

describe("response validation", () => {
    it("answers 500 with a clear body and records the violation when a response breaks the schema", async () => {
        const server = new EmulatorServer({ token: TOKEN, api: loadOpenApi(), strict: false });
        await new Promise<void>((resolve) => server.server.listen(0, "127.0.0.1", resolve));
        try {
            const flow = server.db.flowBySlug("default-authentication-flow");
            if (!flow) throw new Error("seed");
            flow.designation = "not-a-designation"; // corrupt state on purpose
            const port = (server.server.address() as AddressInfo).port;
            const res = await new RawClient(`http://127.0.0.1:${port}`, TOKEN).get("/flows/instances/default-authentication-flow/");
            expect(res.status).toBe(500);
            expect(res.body.detail).toContain("flows_instances_retrieve");
            expect(res.body.detail).toContain("designation");
            expect(server.violations).toHaveLength(1);
        } finally {
            server.server.closeAllConnections();
            await new Promise((resolve) => server.server.close(resolve));
        }
    });

    it("is strict by default under vitest and produced no violations in this file", () => {
        expect(ak.violations).toEqual([]);
    });
});

describe("startEmulator", () => {
    it("fails with a clear message when the schema is missing", async () => {
        await expect(startEmulator({ token: "x", schemaPath: "/nonexistent/openapi-schema.yml" })).rejects.toThrow(
            /authentik OpenAPI schema not found at \/nonexistent\/openapi-schema.yml.*GATEHOUSE_AUTHENTIK_SCHEMA/s,
        );
    });

    it("listens on the requested port and stops", async () => {
        const other = await startEmulator({ token: "x", port: 0 });
        expect(other.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        await other.stop();
        await expect(fetch(`${other.url}/api/v3/core/users/`)).rejects.toThrow();
    });
});

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TOKEN_ENV } from "../../infra/authentik/core/connection";
import { mediaFileProvider } from "../../infra/authentik/media-file";
import { FAST_RETRY, TOKEN } from "./harness";

/**
 * MediaFile against a stand-in for authentik's `/api/v3/admin/file/` (authentik/admin/files/api.py: multipart upload,
 * 400 `{"name": ["A file with this name already exists."]}`, list with substring search, delete by name), because
 * the emulator does not serve the file API yet. Replace the stand-in with the emulator once it does.
 */
let server: Server;
let url: string;
const files = new Map<string, Buffer>();

beforeAll(async () => {
    process.env[TOKEN_ENV] = TOKEN;
    server = createServer(async (req, res) => {
        const json = (status: number, body?: unknown) => {
            res.writeHead(status, body === undefined ? {} : { "Content-Type": "application/json" }).end(body === undefined ? "" : JSON.stringify(body));
        };
        if (req.headers.authorization !== `Bearer ${TOKEN}`) return json(403, { detail: "Authentication credentials were not provided." });
        const address = new URL(req.url ?? "/", "http://stand-in");
        if (address.pathname !== "/api/v3/admin/file/") return json(404, { detail: "Not found." });
        if (req.method === "GET") {
            const search = address.searchParams.get("search") ?? "";
            return json(200, [...files.keys()].filter((name) => name.toLowerCase().includes(search)).map((name) => ({ name, mime_type: "image/svg+xml", url: `/files/media/public/${name}` })));
        }
        if (req.method === "DELETE") {
            files.delete(address.searchParams.get("name") ?? "");
            return json(200);
        }
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const form = await new Request("http://stand-in/", { method: "POST", headers: req.headers as Record<string, string>, body: Buffer.concat(chunks) }).formData();
        const file = form.get("file");
        const name = String(form.get("name") ?? "");
        if (!(file instanceof Blob)) return json(400, { file: ["No file was submitted."] });
        if (files.has(name)) return json(400, { name: ["A file with this name already exists."] });
        files.set(name, Buffer.from(await file.arrayBuffer()));
        return json(200);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
});
beforeEach(() => files.clear());

const provider = mediaFileProvider({ retry: FAST_RETRY });
const LOGO = "<svg xmlns='http://www.w3.org/2000/svg'/>";
const state = () => ({ url, name: "gatehouse/acme-logo-0123456789ab.svg", content: Buffer.from(LOGO).toString("base64"), mimeType: "image/svg+xml" });

describe("media file", () => {
    it("uploads the bytes under its name, reads it back, deletes it (404 or absent = gone)", async () => {
        const { id, outs } = await provider.create(state());
        expect(id).toBe("gatehouse/acme-logo-0123456789ab.svg");
        expect(files.get(id)?.toString()).toBe(LOGO);
        expect(await provider.read!(id, outs)).toEqual({ id, props: state(), inputs: state() });
        await provider.delete!(id, outs);
        expect(files.has(id)).toBe(false);
        expect(await provider.read!(id, outs)).toEqual({ id: "" });
        await provider.delete!(id, outs);
    });

    it("treats an existing file of the same (content-addressed) name as its own upload", async () => {
        await provider.create(state());
        await expect(provider.create(state())).resolves.toMatchObject({ id: state().name });
        expect(files.size).toBe(1);
    });

    it("replaces the file when the content or name changes", async () => {
        const old = state();
        expect(await provider.diff!(old.name, old, { ...old, name: "gatehouse/acme-logo-ba9876543210.svg", content: "AAAA" })).toEqual({ changes: true, replaces: ["name", "content"] });
        expect(await provider.diff!(old.name, old, old)).toEqual({ changes: false, replaces: [] });
    });

    it("refuses names Authentik's media storage refuses", async () => {
        const checked = await provider.check!({}, { ...state(), name: "../escape.svg" });
        expect(checked.failures).toEqual([{ property: "name", reason: "must not start with '/' or '.'" }]);
    });

    it("names the file and the token problem on a 403", async () => {
        process.env[TOKEN_ENV] = "wrong-token";
        try {
            await expect(provider.create(state())).rejects.toThrow(
                'authentik media file "gatehouse/acme-logo-0123456789ab.svg": the Authentik API token is missing, invalid or lacks permission (HTTP 403 on /api/v3/admin/file/: Authentication credentials were not provided)',
            );
        } finally {
            process.env[TOKEN_ENV] = TOKEN;
        }
    });
});

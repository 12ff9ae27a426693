import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { brandKind } from "../../infra/authentik/brand";
import { TOKEN_ENV } from "../../infra/authentik/core/connection";
import { mediaFileProvider } from "../../infra/authentik/media-file";
import { create, FAST_RETRY, providerFor, startAuthentik, TOKEN, type TestAuthentik } from "./harness";

/**
 * MediaFile against the emulated Authentik's `/api/v3/admin/file/` (authentik/admin/files/api.py: multipart upload,
 * 400 `{"name": ["A file with this name already exists."]}`, list with substring search, delete by name), and the
 * file served at the signed `/files/media/public/…` URL Authentik lists for it.
 */
let ak: TestAuthentik;

beforeAll(async () => {
    ak = await startAuthentik();
});
afterAll(async () => {
    await ak?.emulator.stop();
});
beforeEach(() => {
    ak.emulator.reset();
    process.env[TOKEN_ENV] = TOKEN;
});

const provider = mediaFileProvider({ retry: FAST_RETRY });
const LOGO = "<svg xmlns='http://www.w3.org/2000/svg'/>";
const NAME = "gatehouse/acme-logo-0123456789ab.svg";
const state = () => ({ url: ak.url, name: NAME, content: Buffer.from(LOGO).toString("base64"), mimeType: "image/svg+xml" });

interface Listed {
    name: string;
    mime_type: string;
    url: string;
}

/** The uploaded files, as Authentik lists them. */
async function stored(): Promise<Listed[]> {
    const res = await ak.api.get("/admin/file/?manageable_only=true");
    expect(res.status).toBe(200);
    return res.body as Listed[];
}

describe("media file", () => {
    it("uploads the bytes under its name, reads it back, deletes it (404 or absent = gone)", async () => {
        const { id, outs } = await provider.create(state());
        expect(id).toBe(NAME);
        const [file] = await stored();
        expect(file).toMatchObject({ name: NAME, mime_type: "image/svg+xml" });
        const served = await fetch(file?.url ?? "");
        expect(served.status).toBe(200);
        expect(await served.text()).toBe(LOGO);

        expect(await provider.read!(id, outs)).toEqual({ id, props: state(), inputs: state() });
        await provider.delete!(id, outs);
        expect(await stored()).toEqual([]);
        expect(await provider.read!(id, outs)).toEqual({ id: "" });
        await provider.delete!(id, outs);
    });

    it("finds a file whose name has capitals (Authentik searches lowercased names)", async () => {
        const mixed = { ...state(), name: "gatehouse/acme-Logo-0123456789ab.svg" };
        const { id, outs } = await provider.create(mixed);
        expect(await provider.read!(id, outs)).toEqual({ id, props: mixed, inputs: mixed });
        await expect(provider.create(mixed)).resolves.toMatchObject({ id: mixed.name });
    });

    it("treats an existing file of the same (content-addressed) name as its own upload", async () => {
        await provider.create(state());
        await expect(provider.create(state())).resolves.toMatchObject({ id: NAME });
        expect((await stored()).map((f) => f.name)).toEqual([NAME]);
    });

    it("uploads again when the file went missing behind Pulumi's back (URL-only update)", async () => {
        const { id, outs } = await provider.create(state());
        await ak.api.delete(`/admin/file/?name=${encodeURIComponent(id)}`);
        await provider.update!(id, outs, { ...state(), url: `${ak.url}/` });
        expect((await stored()).map((f) => f.name)).toEqual([NAME]);
    });

    it("replaces the file when the content or name changes", async () => {
        const old = state();
        expect(await provider.diff!(old.name, old, { ...old, name: "gatehouse/acme-logo-ba9876543210.svg", content: "AAAA" })).toEqual({ changes: true, replaces: ["name", "content"] });
        expect(await provider.diff!(old.name, old, old)).toEqual({ changes: false, replaces: [] });
    });

    it("refuses names Authentik's media storage refuses", async () => {
        const checked = await provider.check!({}, { ...state(), name: "../escape.svg" });
        expect(checked.failures).toEqual([{ property: "name", reason: "must not start with '/' or '.'" }]);
        // and Authentik agrees
        const form = new FormData();
        form.append("file", new Blob([LOGO]), "logo.svg");
        form.append("name", "../escape.svg");
        const res = await fetch(`${ak.url}/api/v3/admin/file/`, { method: "POST", headers: { Authorization: `Bearer ${TOKEN}` }, body: form });
        expect(res.status).toBe(400);
        expect(await res.json()).toEqual(["Parent directory references ('..') are not allowed"]);
    });

    it("names the file and the token problem on a 403", async () => {
        process.env[TOKEN_ENV] = "wrong-token";
        await expect(provider.create(state())).rejects.toThrow(
            'authentik media file "gatehouse/acme-logo-0123456789ab.svg": the Authentik API token is missing, invalid or lacks permission (HTTP 403 on /api/v3/admin/file/: Token invalid/expired)',
        );
        expect(await stored()).toEqual([]);
    });

    it("is what a brand's logo and favicon refer to; a data: URI is refused", async () => {
        await provider.create(state());
        const brands = providerFor(brandKind);
        const common = { url: ak.url, adopt: false, domain: "auth.acme.test", attributes: { "gatehouse/owner": "gatehouse/test" } };
        const { id } = await create(brands, { ...common, logo: NAME, favicon: NAME });
        expect((await ak.api.get(`/core/brands/${id}/`)).body).toMatchObject({ branding_logo: NAME, branding_favicon: NAME });
        const usedBy = await ak.api.get(`/admin/file/used_by/?name=${encodeURIComponent(NAME)}`);
        expect(usedBy.body).toEqual([{ app: "authentik_brands", model_name: "brand", pk: id, name: "Brand auth.acme.test", action: "left_dangling" }]);

        await expect(create(brands, { ...common, domain: "other.acme.test", logo: `data:image/svg+xml;base64,${state().content}` })).rejects.toThrow(
            'authentik brand "other.acme.test": branding_logo: File name can only contain letters (a-z, A-Z), numbers (0-9), dots (.), hyphens (-), underscores (_), and forward slashes (/)',
        );
    });
});

/**
 * Contract of the media file API (authentik/admin/files/api.py FileView, FileUsedByView) and of
 * the signed `/files/media/…` URLs it hands out.
 */
import { describe, expect, it } from "vitest";
import { useEmulator } from "../../fixture";
import { contentTypeOf, fileFieldProblem, fileTokenValid, FILE_MESSAGES, MAX_FILE_SIZE_BYTES, signFileToken, uploadFileNameProblem } from "./index";

const TOKEN = "files-token";
const ak = useEmulator(TOKEN);
const { api } = ak;

const SVG = "<svg xmlns='http://www.w3.org/2000/svg'/>";

interface Upload {
    readonly content?: string | Buffer;
    readonly filename?: string;
    readonly name?: string;
    readonly usage?: string;
    readonly extra?: Record<string, string>;
}

/** POSTs a multipart body as the official client does (FormData). */
async function upload({ content = SVG, filename = "logo.svg", name, usage, extra = {} }: Upload, token: string | undefined = TOKEN) {
    const form = new FormData();
    form.append("file", new Blob([content]), filename);
    if (name !== undefined) form.append("name", name);
    if (usage !== undefined) form.append("usage", usage);
    for (const [key, value] of Object.entries(extra)) form.append(key, value);
    return send(form, token);
}

async function send(body: FormData | string, token: string | undefined = TOKEN, headers: Record<string, string> = {}) {
    const res = await fetch(`${ak.url}/api/v3/admin/file/`, {
        method: "POST",
        headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
        body,
    });
    const text = await res.text();
    return { status: res.status, text, body: text && (res.headers.get("content-type") ?? "").includes("json") ? (JSON.parse(text) as unknown) : undefined };
}

interface FileEntry {
    name: string;
    mime_type: string;
    url: string;
    themed_urls: { light: string; dark: string } | null;
}

async function list(query = "manageable_only=true"): Promise<FileEntry[]> {
    const res = await api.get(`/admin/file/?${query}`);
    expect(res.status).toBe(200);
    return res.body as FileEntry[];
}

describe("upload (POST /admin/file/, multipart/form-data)", () => {
    it("stores the bytes under the given name and answers 200 without a body", async () => {
        const res = await upload({ name: "gatehouse/acme-logo.svg" });
        expect(res).toMatchObject({ status: 200, text: "" });
        const [entry] = await list();
        expect(entry).toEqual({
            name: "gatehouse/acme-logo.svg",
            mime_type: "image/svg+xml",
            url: expect.stringMatching(new RegExp(`^${ak.url}/files/media/public/gatehouse/acme-logo\\.svg\\?token=[\\w-]+\\.[\\w-]+\\.[\\w-]+$`)),
            themed_urls: null,
        });
        const served = await fetch(entry?.url ?? "");
        expect(served.status).toBe(200);
        expect(served.headers.get("content-type")).toBe("image/svg+xml");
        expect(served.headers.get("content-security-policy")).toBe("default-src 'none'; style-src 'unsafe-inline'; sandbox");
        expect(await served.text()).toBe(SVG);
    });

    it("uses the uploaded file's (sanitized) name when no name is given, and trims a given one", async () => {
        expect((await upload({ filename: "C:\\Users\\me\\brand.png", content: "png" })).status).toBe(200);
        expect((await upload({ name: "  gatehouse/x.svg  " })).status).toBe(200);
        expect((await upload({ name: "", filename: "blank-name.svg" })).status).toBe(200);
        expect((await list()).map((f) => f.name)).toEqual(["brand.png", "gatehouse/x.svg", "blank-name.svg"]);
    });

    it("accepts %(theme)s names and lists one URL per theme", async () => {
        expect((await upload({ name: "logo-%(theme)s.svg" })).status).toBe(200);
        const [entry] = await list();
        expect(entry?.themed_urls).toEqual({
            light: expect.stringContaining("/files/media/public/logo-light.svg?token="),
            dark: expect.stringContaining("/files/media/public/logo-dark.svg?token="),
        });
    });

    it("refuses a name that exists, as a file or as a directory", async () => {
        await upload({ name: "gatehouse/a.svg" });
        for (const name of ["gatehouse/a.svg", "gatehouse", "./gatehouse/a.svg"]) {
            const res = await upload({ name });
            expect(res.status).toBe(400);
            expect(res.body).toEqual({ name: ["A file with this name already exists."] });
        }
    });

    it("refuses unsafe names with validate_upload_file_name's message (a list body)", async () => {
        const cases: Array<[string, string]> = [
            ["a b.svg", FILE_MESSAGES.characters],
            ["data:image/svg+xml;base64,PHN2Zy8+", FILE_MESSAGES.characters],
            ["a//b.svg", FILE_MESSAGES.duplicateSlash],
            ["/etc/passwd", FILE_MESSAGES.absolute],
            ["a/../b.svg", FILE_MESSAGES.parent],
            [".hidden", FILE_MESSAGES.dot],
            [`${"a/".repeat(512)}b`, FILE_MESSAGES.tooLong],
            [`dir/${"a".repeat(256)}.svg`, FILE_MESSAGES.componentTooLong],
        ];
        for (const [name, message] of cases) {
            const res = await upload({ name });
            expect({ name, status: res.status, body: res.body }).toEqual({ name, status: 400, body: [message] });
        }
        expect(await list()).toEqual([]);
    });

    it("checks the file field as DRF's FileField does", async () => {
        const none = new FormData();
        none.append("name", "x.svg");
        expect((await send(none)).body).toEqual({ file: ["No file was submitted."] });
        const text = new FormData();
        text.append("file", "not a file");
        expect((await send(text)).body).toEqual({ file: ["The submitted data was not a file. Check the encoding type on the form."] });
        expect((await upload({ content: "" })).body).toEqual({ file: ["The submitted file is empty."] });
        expect((await send("", TOKEN)).body).toEqual({ file: ["No file was submitted."] });
    });

    it("refuses a file over 25 MB", async () => {
        const res = await upload({ content: Buffer.alloc(MAX_FILE_SIZE_BYTES + 1, 1), name: "big.bin" });
        expect(res.status).toBe(400);
        expect(res.body).toEqual({ file: [`File size (${MAX_FILE_SIZE_BYTES + 1}B) exceeds maximum allowed size (${MAX_FILE_SIZE_BYTES}B).`] });
    });

    it("takes only the media usage; an empty usage is the default", async () => {
        const reports = await upload({ name: "r.csv", usage: "reports" });
        expect(reports.status).toBe(400);
        expect(reports.body).toEqual(["Invalid usage parameter provided: reports"]);
        expect((await upload({ name: "u.svg", usage: "   " })).body).toEqual({ usage: ["This field may not be blank."] });
        expect((await upload({ name: "m.svg", usage: "" })).status).toBe(200);
        expect((await upload({ name: "n.svg", usage: "media" })).status).toBe(200);
    });

    it("accepts only multipart bodies (415) and reports a malformed one", async () => {
        const json = await send(JSON.stringify({ name: "x.svg" }), TOKEN, { "Content-Type": "application/json" });
        expect(json).toMatchObject({ status: 415, body: { detail: 'Unsupported media type "application/json" in request.' } });
        const noBoundary = await send("--x\r\n", TOKEN, { "Content-Type": "multipart/form-data" });
        expect(noBoundary).toMatchObject({ status: 400, body: { detail: "Multipart form parse error - Invalid boundary in multipart: None" } });
    });

    it("needs the token", async () => {
        expect((await upload({ name: "x.svg" }, "wrong")).status).toBe(403);
        expect((await upload({ name: "x.svg" }, "")).body).toEqual({ detail: "Authentication credentials were not provided." });
    });

    it("works through the official client", async () => {
        const { AdminApi, Configuration } = await import("@goauthentik/api");
        const admin = new AdminApi(new Configuration({ basePath: `${ak.url}/api/v3`, accessToken: TOKEN }));
        await admin.adminFileCreate({ file: new Blob([SVG], { type: "image/svg+xml" }), name: "client/logo.svg", usage: "media" });
        const files = await admin.adminFileList({ search: "client/", usage: "media" });
        expect(files).toEqual([expect.objectContaining({ name: "client/logo.svg", mimeType: "image/svg+xml", url: expect.stringContaining("/files/media/public/client/logo.svg?token=") })]);
        await admin.adminFileDestroy({ name: "client/logo.svg", usage: "media" });
        expect(await admin.adminFileList({ search: "client/" })).toEqual([]);
    });
});

describe("list (GET /admin/file/)", () => {
    it("lists the static assets before the uploaded files unless manageable_only", async () => {
        await upload({ name: "gatehouse/a.svg" });
        const all = await list("");
        expect(all).toContainEqual({
            name: "/static/authentik/sources/ldap.png",
            url: `${ak.url}/static/authentik/sources/ldap.png`,
            mime_type: "image/png",
            themed_urls: null,
        });
        expect(all.at(-1)?.name).toBe("gatehouse/a.svg");
        expect((await list("manageable_only=true")).map((f) => f.name)).toEqual(["gatehouse/a.svg"]);
    });

    it("searches the lowered names for the query as given", async () => {
        await upload({ name: "Gatehouse/Logo.svg" });
        expect((await list("search=gatehouse/logo")).map((f) => f.name)).toEqual(["Gatehouse/Logo.svg"]);
        expect(await list("search=Gatehouse")).toEqual([]);
        expect((await list("manageable_only=true&search=")).length).toBe(1); // empty: no filter
    });

    it("signs each URL for its own path; the web server 404s anything else", async () => {
        await upload({ name: "a.svg" });
        await upload({ name: "b.svg" });
        const [a, b] = await list();
        const tokenA = new URL(a?.url ?? "").searchParams.get("token");
        const notFound = async (url: string) => {
            const res = await fetch(url);
            return [res.status, await res.text()];
        };
        expect(await notFound(`${ak.url}/files/media/public/a.svg`)).toEqual([404, "404 page not found\n"]);
        expect(await notFound(`${ak.url}/files/media/public/b.svg?token=${tokenA}`)).toEqual([404, "404 page not found\n"]);
        expect(await notFound(`${ak.url}/files/media/public/a.svg?token=${tokenA}x`)).toEqual([404, "404 page not found\n"]);
        expect((await fetch(b?.url ?? "")).status).toBe(200);
        expect((await fetch(a?.url ?? "", { method: "HEAD" })).status).toBe(200);
        expect((await fetch(a?.url ?? "", { method: "POST" })).status).toBe(405);
        // the same URL while cached (ManageableBackend caches URLs for 0.67 of their lifetime)
        expect((await list())[0]?.url).toBe(a?.url);
    });

    it("validates its parameters like FileListParameters", async () => {
        const usage = await api.get("/admin/file/?usage=invalid");
        expect(usage.status).toBe(400);
        expect(usage.body).toEqual({ usage: ['"invalid" is not a valid choice.'] });
        expect((await api.get("/admin/file/?manageable_only=maybe")).body).toEqual({ manageable_only: ["Must be a valid boolean."] });
        expect((await api.get("/admin/file/?search=%20%20")).body).toEqual({ search: ["This field may not be blank."] });
        expect((await api.get("/admin/file/?usage=&manageable_only=")).status).toBe(200);
    });
});

describe("delete (DELETE /admin/file/)", () => {
    it("deletes by name; a missing file is fine (unlink missing_ok)", async () => {
        await upload({ name: "gatehouse/a.svg" });
        const [entry] = await list();
        const res = await api.delete("/admin/file/?name=gatehouse/a.svg&usage=media");
        expect(res).toMatchObject({ status: 200, text: "" });
        expect(await list()).toEqual([]);
        expect((await fetch(entry?.url ?? "")).status).toBe(404);
        expect((await api.delete("/admin/file/?name=gatehouse/a.svg")).status).toBe(200);
    });

    it("validates name and usage", async () => {
        expect((await api.delete("/admin/file/")).body).toEqual({ name: ["This field is required."] });
        expect((await api.delete("/admin/file/?name=")).body).toEqual({ name: ["This field may not be blank."] });
        expect((await api.delete("/admin/file/?name=x.svg&usage=reports")).body).toEqual({ usage: ['"reports" is not a valid choice.'] });
        const absolute = await api.delete("/admin/file/?name=/static/dist/assets/icons/icon.png");
        expect(absolute.status).toBe(400);
        expect(absolute.body).toEqual(["Absolute paths are not allowed"]);
    });
});

describe("used_by (GET /admin/file/used_by/)", () => {
    it("lists the objects whose file fields hold the name, as left dangling", async () => {
        await upload({ name: "gatehouse/logo.svg" });
        const brand = (await api.post("/core/brands/", { domain: "app.example.com", branding_logo: "gatehouse/logo.svg" })).body;
        const app = (await api.post("/core/applications/", { name: "App", slug: "app", meta_icon: "gatehouse/logo.svg" })).body;
        const flow = (await api.patch("/flows/instances/default-authentication-flow/", { background: "gatehouse/logo.svg" })).body;
        const res = await api.get("/admin/file/used_by/?name=gatehouse/logo.svg");
        expect(res.status).toBe(200);
        expect(res.body).toEqual([
            { app: "authentik_flows", model_name: "flow", pk: flow.pk, name: `Flow ${flow.name} (${flow.slug})`, action: "left_dangling" },
            { app: "authentik_core", model_name: "application", pk: app.pk, name: "App", action: "left_dangling" },
            { app: "authentik_brands", model_name: "brand", pk: brand.brand_uuid, name: "Brand app.example.com", action: "left_dangling" },
        ]);
        expect((await api.get("/admin/file/used_by/?name=unused.svg")).body).toEqual([]);
    });

    it("needs a name", async () => {
        const res = await api.get("/admin/file/used_by/");
        expect(res.status).toBe(400);
        expect(res.body).toEqual({ name: ["This field is required."] });
    });
});

describe("validators and tokens (unit)", () => {
    it("validate_file_name passes static paths, URLs and Font Awesome icons through", () => {
        for (const ok of ["/static/dist/assets/icons/icon.png", "https://cdn.example.com/a.png", "http:x", "fa://fa-user", "gatehouse/a.svg", "logo-%(theme)s.png", "./a.png"]) {
            expect(fileFieldProblem(ok)).toBeUndefined();
        }
        expect(fileFieldProblem("data:image/png;base64,AAAA")).toBe(FILE_MESSAGES.characters);
        expect(fileFieldProblem("/media/a.png")).toBe(FILE_MESSAGES.absolute);
        expect(fileFieldProblem("ftp://x/a.png")).toBe(FILE_MESSAGES.characters);
        for (const bad of ["test%(theme.png", "test%(themes).png", "test%(THEME)s.png", "test%()s.png", "  test.png  "]) {
            expect(uploadFileNameProblem(bad)).toBe(FILE_MESSAGES.characters);
        }
        expect(uploadFileNameProblem("")).toBe(FILE_MESSAGES.empty);
    });

    it("guesses content types as Python's mimetypes does", () => {
        expect(contentTypeOf("a/logo.SVG")).toBe("image/svg+xml");
        expect(contentTypeOf("x.png.gz")).toBe("image/png");
        expect(contentTypeOf("README")).toBe("application/octet-stream");
        expect(contentTypeOf(".png")).toBe("application/octet-stream");
    });

    it("refuses expired, not-yet-valid and foreign-usage tokens", () => {
        const now = 1_800_000_000_000;
        const seconds = now / 1000;
        const path = "media/public/a.svg";
        const good = signFileToken("secret", "media", { path, exp: seconds + 60, nbf: seconds - 15 });
        expect(fileTokenValid("secret", "media", good, "/public/a.svg", now)).toBe(true);
        expect(fileTokenValid("secret", "media", good, "/public/a.svg", now + 61_000)).toBe(false);
        expect(fileTokenValid("secret", "media", good, "/public/a.svg", now - 16_000)).toBe(false);
        expect(fileTokenValid("other", "media", good, "/public/a.svg", now)).toBe(false);
        const reports = signFileToken("secret", "reports", { path, exp: seconds + 60 });
        expect(fileTokenValid("secret", "media", reports, "/public/a.svg", now)).toBe(false);
        expect(fileTokenValid("secret", "media", null, "/public/a.svg", now)).toBe(false);
    });
});

/**
 * Brand validation (authentik/brands/api.py BrandSerializer, brands/models.py): unique domain,
 * FileField names in the image fields, a single default brand.
 */
import { describe, expect, it } from "vitest";
import { useEmulator } from "../fixture";
import { FILE_MESSAGES } from "./files";

const ak = useEmulator();
const { api } = ak;

const UNIQUE = { domain: ["This field must be unique."] };

async function defaultBrand(): Promise<{ brand_uuid: string; domain: string }> {
    return (await api.get("/core/brands/?default=true")).body.results[0];
}

describe("brand domain is unique (UniqueValidator)", () => {
    it("refuses a second brand with the same domain on create", async () => {
        expect((await api.post("/core/brands/", { domain: "app.example.com" })).status).toBe(201);
        const again = await api.post("/core/brands/", { domain: "app.example.com" });
        expect(again.status).toBe(400);
        expect(again.body).toEqual(UNIQUE);
        // after CharField trimming, and against the seeded default brand
        expect((await api.post("/core/brands/", { domain: " app.example.com " })).body).toEqual(UNIQUE);
        expect((await api.post("/core/brands/", { domain: "authentik-default" })).body).toEqual(UNIQUE);
        // exact match: another case is another domain
        expect((await api.post("/core/brands/", { domain: "App.example.com" })).status).toBe(201);
    });

    it("refuses taking another brand's domain on PUT and PATCH, allows keeping its own", async () => {
        const a = (await api.post("/core/brands/", { domain: "a.example.com" })).body;
        await api.post("/core/brands/", { domain: "b.example.com" });
        const put = await api.put(`/core/brands/${a.brand_uuid}/`, { domain: "b.example.com" });
        expect(put.status).toBe(400);
        expect(put.body).toEqual(UNIQUE);
        const patch = await api.patch(`/core/brands/${a.brand_uuid}/`, { domain: "b.example.com" });
        expect(patch.status).toBe(400);
        expect(patch.body).toEqual(UNIQUE);
        expect((await api.put(`/core/brands/${a.brand_uuid}/`, { domain: "a.example.com", branding_title: "A" })).status).toBe(200);
        expect((await api.patch(`/core/brands/${a.brand_uuid}/`, { domain: "a.example.com" })).status).toBe(200);
        expect((await api.patch(`/core/brands/${a.brand_uuid}/`, { branding_title: "A2" })).status).toBe(200);
    });

    it("is a field error: reported with other field errors, before the single-default check", async () => {
        const res = await api.post("/core/brands/", { domain: "authentik-default", default: true, branding_logo: "data:image/png;base64,AAAA" });
        expect(res.status).toBe(400);
        expect(res.body).toEqual({ ...UNIQUE, branding_logo: [FILE_MESSAGES.characters] });
    });
});

describe("brand image fields are FileFields (validate_file_name)", () => {
    const FIELDS = ["branding_logo", "branding_favicon", "branding_default_flow_background"] as const;

    it("refuses data: URIs and names no upload could have, on create, PUT and PATCH", async () => {
        const brand = (await api.post("/core/brands/", { domain: "app.example.com" })).body;
        for (const field of FIELDS) {
            const dataUri = await api.post("/core/brands/", { domain: `${field}.example.com`, [field]: "data:image/svg+xml;base64,PHN2Zy8+" });
            expect(dataUri.status).toBe(400);
            expect(dataUri.body).toEqual({ [field]: [FILE_MESSAGES.characters] });
            const put = await api.put(`/core/brands/${brand.brand_uuid}/`, { domain: "app.example.com", [field]: "/media/logo.png" });
            expect(put.body).toEqual({ [field]: [FILE_MESSAGES.absolute] });
            const patch = await api.patch(`/core/brands/${brand.brand_uuid}/`, { [field]: "../logo.png" });
            expect(patch.body).toEqual({ [field]: [FILE_MESSAGES.parent] });
        }
        const many = await api.patch(`/core/brands/${brand.brand_uuid}/`, { branding_logo: "a//b.svg", branding_favicon: ".favicon.ico" });
        expect(many.body).toEqual({ branding_logo: [FILE_MESSAGES.duplicateSlash], branding_favicon: [FILE_MESSAGES.dot] });
        expect((await api.patch(`/core/brands/${brand.brand_uuid}/`, { branding_logo: "" })).body).toEqual({ branding_logo: ["This field may not be blank."] });
    });

    it("accepts static paths, http(s) URLs, fa:// icons and media file names (themed too)", async () => {
        const brand = (await api.post("/core/brands/", { domain: "app.example.com" })).body;
        for (const value of [
            "/static/dist/assets/icons/icon_left_brand.svg",
            "https://cdn.example.com/logo.svg",
            "fa://fa-building",
            "gatehouse/acme-logo-0123456789ab.svg",
            "gatehouse/logo-%(theme)s.svg",
        ]) {
            for (const field of FIELDS) {
                const res = await api.patch(`/core/brands/${brand.brand_uuid}/`, { [field]: value });
                expect({ field, value, status: res.status }).toEqual({ field, value, status: 200 });
                expect(res.body[field]).toBe(value);
            }
        }
    });
});

describe("a single default brand", () => {
    it("refuses a second default on create, PUT and PATCH, allows re-saving the default itself", async () => {
        const other = (await api.post("/core/brands/", { domain: "app.example.com" })).body;
        const message = { default: ["Only a single brand can be set as default."] };
        expect((await api.post("/core/brands/", { domain: "x.example.com", default: true })).body).toEqual(message);
        const put = await api.put(`/core/brands/${other.brand_uuid}/`, { domain: "app.example.com", default: true });
        expect(put.status).toBe(400);
        expect(put.body).toEqual(message);
        expect((await api.patch(`/core/brands/${other.brand_uuid}/`, { default: true })).body).toEqual(message);
        const seeded = await defaultBrand();
        expect((await api.put(`/core/brands/${seeded.brand_uuid}/`, { domain: seeded.domain, default: true })).status).toBe(200);
        // demote, then promote the other one
        expect((await api.patch(`/core/brands/${seeded.brand_uuid}/`, { default: false })).status).toBe(200);
        expect((await api.patch(`/core/brands/${other.brand_uuid}/`, { default: true })).status).toBe(200);
        expect((await defaultBrand()).brand_uuid).toBe(other.brand_uuid);
    });
});

/**
 * Brands (authentik/brands/models.py, authentik/brands/api.py).
 * - `domain` is unique through the serializer (Meta.extra_kwargs: UniqueValidator(Brand.objects.all()),
 *   the database has no constraint): DRF's "This field must be unique.", exact match, on every
 *   create and update that carries a domain.
 * - branding_logo, branding_favicon and branding_default_flow_background are authentik FileFields
 *   (validator admin/files/validation.py validate_file_name): a `/static…` path, an `http:`/`https://`
 *   URL, `fa://…`, or a name an upload could have; anything else (a `data:` URI) gets that
 *   validator's message.
 * - Only one brand may be the default (BrandSerializer.validate, run only when every field is
 *   valid: {"default": ["Only a single brand can be set as default."]}).
 */
import { BRAND_FLOW_FIELDS, type BrandRecord, type Db } from "../core/db";
import { MSG } from "../core/drf";
import { FieldErrors, newUuid, resolvePk, resolvePkList, type JsonObject } from "../core/fields";
import { ValidationFailed } from "../core/errors";
import { boolFilter, exactFilter, type FilterSpec, type Kind } from "../core/kind";
import { deleteBrand } from "./cascade";
import { fileFieldProblem } from "./files";

/** Brand's FileFields (validate_file_name) */
export const BRAND_FILE_FIELDS = ["branding_logo", "branding_favicon", "branding_default_flow_background"] as const;

// Brand model defaults (brands/models.py)
export const BRAND_DEFAULTS = {
    branding_title: "authentik",
    branding_logo: "/static/dist/assets/icons/icon_left_brand.svg",
    branding_favicon: "/static/dist/assets/icons/icon.png",
    branding_default_flow_background: "/static/dist/assets/images/flow_background.jpg",
} as const;

const STRING_FIELDS = [
    "domain",
    "branding_title",
    "branding_logo",
    "branding_favicon",
    "branding_custom_css",
    "branding_default_flow_background",
    "branding_map_tiles",
] as const;

export function brandKind(db: Db): Kind<BrandRecord> {
    const filters: Record<string, FilterSpec<BrandRecord>> = {
        brand_uuid: { type: "uuid", test: (b, [v]) => b.pk === (v ?? "").toLowerCase() },
        domain: exactFilter((b) => b.domain),
        default: boolFilter((b) => b.default),
        branding_title: exactFilter((b) => b.branding_title),
        branding_logo: exactFilter((b) => b.branding_logo),
        branding_favicon: exactFilter((b) => b.branding_favicon),
        branding_default_flow_background: exactFilter((b) => b.branding_default_flow_background),
        web_certificate: {
            type: "model",
            exists: (v) => db.certificates.has(v.toLowerCase()),
            test: (b, [v]) => b.web_certificate === (v ?? "").toLowerCase(),
        },
        client_certificates: {
            type: "model",
            multi: true,
            exists: (v) => db.certificates.has(v.toLowerCase()),
            test: (b, values) => values.some((v) => b.client_certificates.includes(v.toLowerCase())),
        },
    };
    for (const field of BRAND_FLOW_FIELDS) {
        filters[field] = {
            type: "model",
            exists: (v) => db.flows.has(v.toLowerCase()),
            test: (b, [v]) => b[field] === (v ?? "").toLowerCase(),
        };
    }
    return {
        objectName: "Brand",
        pkType: "uuid",
        store: db.brands as Map<string | number, BrandRecord>,
        relations: new Set([...BRAND_FLOW_FIELDS, "default_application", "web_certificate", "client_certificates"]),
        save(body: JsonObject, existing: BrandRecord | undefined, errors: FieldErrors): BrandRecord {
            if (typeof body.domain === "string") {
                for (const other of db.brands.values()) {
                    if (other.domain === body.domain && other.pk !== existing?.pk) {
                        errors.add("domain", MSG.unique);
                        break;
                    }
                }
            }
            for (const field of BRAND_FILE_FIELDS) {
                const value = body[field];
                if (typeof value !== "string") continue;
                const problem = fileFieldProblem(value);
                if (problem) errors.add(field, problem);
            }
            const resolved: Partial<Record<string, string | null>> = {};
            for (const field of BRAND_FLOW_FIELDS) {
                if (!(field in body)) continue;
                resolved[field] =
                    body[field] === null ? null : (resolvePk<string>(errors, field, body[field], "uuid", (pk) => db.flows.has(pk)) ?? null);
            }
            if ("default_application" in body) {
                resolved.default_application =
                    body.default_application === null
                        ? null
                        : (resolvePk<string>(errors, "default_application", body.default_application, "uuid", (pk) =>
                              db.applications.has(pk),
                          ) ?? null);
            }
            if ("web_certificate" in body) {
                resolved.web_certificate =
                    body.web_certificate === null
                        ? null
                        : (resolvePk<string>(errors, "web_certificate", body.web_certificate, "uuid", (pk) =>
                              db.certificates.has(pk),
                          ) ?? null);
            }
            let clientCertificates: string[] | undefined;
            if ("client_certificates" in body) {
                clientCertificates = resolvePkList<string>(errors, "client_certificates", body.client_certificates, "uuid", (pk) =>
                    db.certificates.has(pk),
                );
            }
            errors.throwIfAny();
            if (body.default === true) {
                for (const other of db.brands.values()) {
                    if (other.default && other.pk !== existing?.pk) {
                        throw new ValidationFailed({ default: ["Only a single brand can be set as default."] });
                    }
                }
            }
            const record: BrandRecord = existing ?? {
                pk: newUuid(),
                domain: "",
                default: false,
                ...BRAND_DEFAULTS,
                branding_custom_css: "",
                branding_map_tiles: "",
                flow_authentication: null,
                flow_user_switch: null,
                flow_invalidation: null,
                flow_recovery: null,
                flow_unenrollment: null,
                flow_user_settings: null,
                flow_device_code: null,
                flow_lockdown: null,
                flow_request: null,
                default_application: null,
                web_certificate: null,
                client_certificates: [],
                attributes: {},
            };
            for (const key of STRING_FIELDS) if (typeof body[key] === "string") record[key] = body[key] as string;
            if (typeof body.default === "boolean") record.default = body.default;
            for (const field of BRAND_FLOW_FIELDS) if (field in resolved) record[field] = resolved[field] ?? null;
            if ("default_application" in resolved) record.default_application = resolved.default_application ?? null;
            if ("web_certificate" in resolved) record.web_certificate = resolved.web_certificate ?? null;
            if (clientCertificates) record.client_certificates = clientCertificates;
            if (body.attributes !== undefined && typeof body.attributes === "object" && body.attributes !== null) {
                record.attributes = JSON.parse(JSON.stringify(body.attributes)) as JsonObject;
            }
            db.brands.set(record.pk, record);
            return record;
        },
        serialize(b: BrandRecord): JsonObject {
            return {
                brand_uuid: b.pk,
                domain: b.domain,
                default: b.default,
                branding_title: b.branding_title,
                branding_logo: b.branding_logo,
                branding_favicon: b.branding_favicon,
                branding_custom_css: b.branding_custom_css,
                branding_default_flow_background: b.branding_default_flow_background,
                branding_map_tiles: b.branding_map_tiles,
                flow_authentication: b.flow_authentication,
                flow_user_switch: b.flow_user_switch,
                flow_invalidation: b.flow_invalidation,
                flow_recovery: b.flow_recovery,
                flow_unenrollment: b.flow_unenrollment,
                flow_user_settings: b.flow_user_settings,
                flow_device_code: b.flow_device_code,
                flow_lockdown: b.flow_lockdown,
                flow_request: b.flow_request,
                default_application: b.default_application,
                web_certificate: b.web_certificate,
                client_certificates: [...b.client_certificates],
                attributes: b.attributes,
            };
        },
        destroy: (b) => deleteBrand(db, b),
        filters,
        search: (b) => [b.domain, b.branding_title],
        ordering: ["domain"],
    };
}

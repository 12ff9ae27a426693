/**
 * Applications (authentik/core/models.py Application, authentik/core/api/applications.py).
 * Looked up by slug. slug is unique and may not be one of the reserved OAuth2 endpoint
 * names; provider is a OneToOneField, so one provider serves at most one application.
 */
import type { ApplicationRecord, Db } from "../core/db";
import { FieldErrors, newUuid, resolvePk, resolvePkList, uniqueMessage, type Json, type JsonObject } from "../core/fields";
import { exactFilter, type Kind } from "../core/kind";
import { deleteApplication } from "./cascade";
import { providerLaunchUrl, providerSummary } from "./providers";

/** Application.reserved_slugs: would clash with /application/o/<endpoint>/ */
export const RESERVED_SLUGS = ["authorize", "token", "device", "userinfo", "introspect", "revoke"];

// Django URLValidator as DomainlessFormattedURLValidator relaxes it: http(s)/ftp(s),
// a host without a TLD is fine, and %(field)s placeholders are allowed.
const LAUNCH_URL_RE = /^(https?|ftps?):\/\/[^\s/?#]+([/?#][^\s]*)?$/i;

/** An application as the model's defaults leave it; name and slug empty until set. */
export function newApplicationRecord(): ApplicationRecord {
    return {
        pk: newUuid(),
        name: "",
        slug: "",
        provider: null,
        open_in_new_tab: false,
        meta_launch_url: "",
        meta_icon: "",
        meta_description: "",
        meta_publisher: "",
        policy_engine_mode: "any",
        group: "",
        meta_hide: false,
    };
}

export function applicationKind(db: Db): Kind<ApplicationRecord> {
    const providerExists = (pk: number) => db.providers.has(pk);
    return {
        objectName: "Application",
        pkType: "uuid",
        lookup: (slug) => db.applicationBySlug(slug),
        store: db.applications as Map<string | number, ApplicationRecord>,
        relations: new Set(["provider", "backchannel_providers"]),
        save(body: JsonObject, existing: ApplicationRecord | undefined, errors: FieldErrors): ApplicationRecord {
            let provider: number | null | undefined;
            let backchannel: number[] | undefined;
            if (typeof body.slug === "string") {
                if (RESERVED_SLUGS.includes(body.slug)) {
                    errors.add("slug", `The slug '${body.slug}' is reserved and cannot be used for applications.`);
                }
                for (const other of db.applications.values()) {
                    if (other.slug === body.slug && other.pk !== existing?.pk) {
                        errors.add("slug", uniqueMessage("Application", "slug"));
                    }
                }
            }
            if ("provider" in body) {
                if (body.provider === null) provider = null;
                else {
                    provider = resolvePk<number>(errors, "provider", body.provider, "int", providerExists);
                    if (provider !== undefined) {
                        const holder = db.applicationOfProvider(provider);
                        if (holder && holder.pk !== existing?.pk) {
                            errors.add("provider", uniqueMessage("Application", "provider"));
                        }
                    }
                }
            }
            if ("backchannel_providers" in body) {
                backchannel = resolvePkList<number>(errors, "backchannel_providers", body.backchannel_providers, "int", providerExists);
            }
            if (typeof body.meta_launch_url === "string" && body.meta_launch_url !== "") {
                if (!LAUNCH_URL_RE.test(body.meta_launch_url)) errors.add("meta_launch_url", "Enter a valid URL.");
            }
            errors.throwIfAny();

            const record: ApplicationRecord = existing ?? newApplicationRecord();
            for (const key of [
                "name",
                "slug",
                "meta_launch_url",
                "meta_icon",
                "meta_description",
                "meta_publisher",
                "policy_engine_mode",
                "group",
            ] as const) {
                if (typeof body[key] === "string") record[key] = body[key] as string;
            }
            if (typeof body.open_in_new_tab === "boolean") record.open_in_new_tab = body.open_in_new_tab;
            if (typeof body.meta_hide === "boolean") record.meta_hide = body.meta_hide;
            if (provider !== undefined) record.provider = provider;
            db.applications.set(record.pk, record);
            if (backchannel !== undefined) {
                // Reverse foreign key Provider.backchannel_application: set() detaches the others.
                for (const p of db.providers.values()) {
                    if (backchannel.includes(p.pk)) p.backchannel_application = record.pk;
                    else if (p.backchannel_application === record.pk) p.backchannel_application = null;
                }
            }
            return record;
        },
        serialize(app: ApplicationRecord): JsonObject {
            const provider = app.provider !== null ? db.providers.get(app.provider) : undefined;
            const backchannel = [...db.providers.values()].filter((p) => p.backchannel_application === app.pk);
            return {
                pk: app.pk,
                pbm_uuid: app.pk,
                name: app.name,
                slug: app.slug,
                provider: app.provider,
                provider_obj: provider ? providerSummary(db, provider) : null,
                backchannel_providers: backchannel.map((p) => p.pk),
                backchannel_providers_obj: backchannel.map((p) => providerSummary(db, p)) as Json[],
                launch_url: app.meta_launch_url || (provider ? providerLaunchUrl(provider) : null),
                open_in_new_tab: app.open_in_new_tab,
                meta_launch_url: app.meta_launch_url,
                meta_icon: app.meta_icon,
                meta_icon_url: app.meta_icon ? app.meta_icon : null,
                meta_icon_themed_urls: null,
                meta_description: app.meta_description,
                meta_publisher: app.meta_publisher,
                policy_engine_mode: app.policy_engine_mode,
                group: app.group,
                meta_hide: app.meta_hide,
            };
        },
        destroy: (app) => deleteApplication(db, app),
        filters: {
            name: exactFilter((a) => a.name),
            slug: exactFilter((a) => a.slug),
            meta_launch_url: exactFilter((a) => a.meta_launch_url),
            meta_description: exactFilter((a) => a.meta_description),
            meta_publisher: exactFilter((a) => a.meta_publisher),
            group: exactFilter((a) => a.group),
        },
        search: (a) => [a.name, a.slug, a.meta_launch_url, a.meta_description, a.meta_publisher, a.group],
        ordering: ["name"],
    };
}

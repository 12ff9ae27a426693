/**
 * OAuth2/OpenID providers (authentik/providers/oauth2/models.py, api/providers.py,
 * core/api/providers.py for the ProviderSerializer part).
 *
 * - Provider.name is unique ("provider with this name already exists." — the field lives
 *   on the Provider model, whose verbose name is the default "provider").
 * - client_id is unique, defaults to generate_id() (40 letters/digits);
 *   client_secret defaults to generate_client_secret() = generate_id(128).
 * - authorization_flow and invalidation_flow are required and not nullable
 *   (ProviderSerializer extra_kwargs).
 * - The four validity strings go through timedelta_string_validator.
 * - Regex redirect URIs must compile ("Invalid Regex Pattern: <url>").
 */
import type { Db, ProviderRecord, RedirectUri } from "../core/db";
import {
    FieldErrors,
    generateId,
    resolvePk,
    resolvePkList,
    timedeltaMessage,
    uniqueMessage,
    type Json,
    type JsonObject,
} from "../core/fields";
import { boolFilter, exactFilter, type Kind } from "../core/kind";
import { deleteProvider } from "./cascade";

const CLIENT_TYPES = ["confidential", "public"];
const ISSUER_MODES = ["global", "per_provider"];
const SUB_MODES = ["hashed_user_id", "user_id", "user_uuid", "user_username", "user_email", "user_upn"];
const VALIDITY_FIELDS = [
    "access_code_validity",
    "access_token_validity",
    "refresh_token_validity",
    "refresh_token_threshold",
] as const;

/** Provider.launch_url for OAuth2: the first redirect URI with its path removed. */

/** ProviderSerializer (core/api/providers.py), used for provider_obj and backchannel_providers_obj. */
export function providerSummary(db: Db, p: ProviderRecord): JsonObject {
    const app = db.applicationOfProvider(p.pk);
    const backchannel = p.backchannel_application ? db.applications.get(p.backchannel_application) : undefined;
    return {
        pk: p.pk,
        name: p.name,
        authentication_flow: p.authentication_flow,
        authorization_flow: p.authorization_flow,
        invalidation_flow: p.invalidation_flow,
        property_mappings: [...p.property_mappings],
        component: "ak-provider-oauth2-form",
        assigned_application_slug: app?.slug ?? null,
        assigned_application_name: app?.name ?? null,
        assigned_backchannel_application_slug: backchannel?.slug ?? null,
        assigned_backchannel_application_name: backchannel?.name ?? null,
        verbose_name: "OAuth2/OpenID Provider",
        verbose_name_plural: "OAuth2/OpenID Providers",
        meta_model_name: "authentik_providers_oauth2.oauth2provider",
    };
}

export function providerLaunchUrl(provider: ProviderRecord): string | null {
    const first = provider.redirect_uris[0];
    if (!first) return null;
    // urlparse(url)._replace(path="") then urlunparse: keeps scheme, netloc, query and fragment.
    const m = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(\?[^#]*)?(#.*)?$/.exec(first.url);
    if (!m) return null;
    const [, scheme, netloc, , query, fragment] = m;
    let out = "";
    if (scheme) out += `${scheme}:`;
    if (netloc !== undefined) out += `//${netloc}`;
    out += query ?? "";
    out += fragment ?? "";
    return out;
}

function regexCompiles(pattern: string): boolean {
    try {
        new RegExp(pattern);
        return true;
    } catch {
        return false;
    }
}

/** An OAuth2 provider as the model's defaults leave it, with generated credentials; pk 0 until saved. */
export function newProviderRecord(): ProviderRecord {
    return {
        pk: 0,
        name: "",
        authentication_flow: null,
        authorization_flow: null,
        invalidation_flow: null,
        property_mappings: [],
        client_type: "confidential",
        // migration 0033_alter_oauth2provider_grant_types: ArrayField(default=list)
        grant_types: [],
        client_id: generateId(40),
        client_secret: generateId(128),
        access_code_validity: "minutes=1",
        access_token_validity: "hours=1",
        refresh_token_validity: "days=30",
        refresh_token_threshold: "seconds=0",
        include_claims_in_id_token: true,
        signing_key: null,
        encryption_key: null,
        redirect_uris: [],
        logout_uri: "",
        logout_method: "backchannel",
        sub_mode: "hashed_user_id",
        issuer_mode: "per_provider",
        jwt_federation_sources: [],
        jwt_federation_providers: [],
        backchannel_application: null,
    };
}

export function providerKind(db: Db): Kind<ProviderRecord> {
    const flowExists = (pk: string) => db.flows.has(pk);
    const certExists = (pk: string) => db.certificates.has(pk);
    return {
        objectName: "OAuth2Provider",
        pkType: "int",
        store: db.providers as Map<string | number, ProviderRecord>,
        relations: new Set([
            "authentication_flow",
            "authorization_flow",
            "invalidation_flow",
            "property_mappings",
            "signing_key",
            "encryption_key",
            "jwt_federation_sources",
            "jwt_federation_providers",
        ]),
        save(body: JsonObject, existing: ProviderRecord | undefined, errors: FieldErrors): ProviderRecord {
            const resolved: Partial<ProviderRecord> = {};
            for (const other of db.providers.values()) {
                if (other.pk === existing?.pk) continue;
                if (typeof body.name === "string" && other.name === body.name) {
                    errors.add("name", uniqueMessage("provider", "name"));
                }
                if (typeof body.client_id === "string" && other.client_id === body.client_id) {
                    errors.add("client_id", uniqueMessage("OAuth2/OpenID Provider", "Client ID"));
                }
            }
            for (const field of ["authentication_flow", "authorization_flow", "invalidation_flow"] as const) {
                if (!(field in body) || body[field] === null) continue;
                const pk = resolvePk<string>(errors, field, body[field], "uuid", flowExists);
                if (pk !== undefined) resolved[field] = pk;
            }
            for (const field of ["signing_key", "encryption_key"] as const) {
                if (!(field in body) || body[field] === null) continue;
                const pk = resolvePk<string>(errors, field, body[field], "uuid", certExists);
                if (pk !== undefined) resolved[field] = pk;
            }
            if ("property_mappings" in body) {
                // Any PropertyMapping subclass is accepted; the emulator stores scope mappings only.
                const pks = resolvePkList<string>(errors, "property_mappings", body.property_mappings, "uuid", (pk) =>
                    db.scopeMappings.has(pk),
                );
                if (pks) resolved.property_mappings = pks;
            }
            if ("jwt_federation_sources" in body) {
                // OAuth sources are not emulated: every pk is unknown.
                const pks = resolvePkList<string>(errors, "jwt_federation_sources", body.jwt_federation_sources, "uuid", () => false);
                if (pks) resolved.jwt_federation_sources = pks;
            }
            if ("jwt_federation_providers" in body) {
                const pks = resolvePkList<number>(errors, "jwt_federation_providers", body.jwt_federation_providers, "int", (pk) =>
                    db.providers.has(pk),
                );
                if (pks) resolved.jwt_federation_providers = pks;
            }
            for (const field of VALIDITY_FIELDS) {
                const value = body[field];
                if (typeof value === "string") {
                    const message = timedeltaMessage(value);
                    if (message) errors.add(field, message);
                }
            }
            // logout_uri: a URL validator limited to http(s) (DomainlessURLValidator, hosts without TLD allowed)
            if (typeof body.logout_uri === "string" && body.logout_uri !== "" && !/^https?:\/\/[^\s/?#]+([/?#]\S*)?$/i.test(body.logout_uri)) {
                errors.add("logout_uri", "Enter a valid URL.");
            }
            if (Array.isArray(body.redirect_uris)) {
                for (const entry of body.redirect_uris as JsonObject[]) {
                    if (entry.matching_mode === "regex" && typeof entry.url === "string" && !regexCompiles(entry.url)) {
                        errors.add("redirect_uris", `Invalid Regex Pattern: ${entry.url}`);
                        break;
                    }
                }
            }
            errors.throwIfAny();

            const record: ProviderRecord = existing ?? newProviderRecord();
            for (const key of [
                "name",
                "client_type",
                "client_id",
                "client_secret",
                "logout_uri",
                "logout_method",
                "sub_mode",
                "issuer_mode",
                ...VALIDITY_FIELDS,
            ] as const) {
                if (typeof body[key] === "string") record[key] = body[key] as string;
            }
            if (typeof body.include_claims_in_id_token === "boolean") {
                record.include_claims_in_id_token = body.include_claims_in_id_token;
            }
            if (Array.isArray(body.grant_types)) record.grant_types = [...(body.grant_types as string[])];
            if (Array.isArray(body.redirect_uris)) {
                record.redirect_uris = (body.redirect_uris as JsonObject[]).map(
                    (e): RedirectUri => ({
                        matching_mode: e.matching_mode as string,
                        url: e.url as string,
                        redirect_uri_type: typeof e.redirect_uri_type === "string" ? e.redirect_uri_type : "authorization",
                    }),
                );
            }
            for (const field of ["authentication_flow", "authorization_flow", "invalidation_flow", "signing_key", "encryption_key"] as const) {
                if (field in body) record[field] = body[field] === null ? null : (resolved[field] ?? null);
            }
            if (resolved.property_mappings) record.property_mappings = resolved.property_mappings;
            if (resolved.jwt_federation_sources) record.jwt_federation_sources = resolved.jwt_federation_sources;
            if (resolved.jwt_federation_providers) record.jwt_federation_providers = resolved.jwt_federation_providers;
            if (!existing) record.pk = db.nextProviderPk();
            db.providers.set(record.pk, record);
            return record;
        },
        serialize(p: ProviderRecord): JsonObject {
            // OAuth2ProviderSerializer extends ProviderSerializer: the summary's fields, then its own.
            return {
                ...providerSummary(db, p),
                client_type: p.client_type,
                grant_types: [...p.grant_types],
                client_id: p.client_id,
                client_secret: p.client_secret,
                access_code_validity: p.access_code_validity,
                access_token_validity: p.access_token_validity,
                refresh_token_validity: p.refresh_token_validity,
                refresh_token_threshold: p.refresh_token_threshold,
                include_claims_in_id_token: p.include_claims_in_id_token,
                signing_key: p.signing_key,
                encryption_key: p.encryption_key,
                redirect_uris: p.redirect_uris.map((r) => ({ ...r })) as Json[],
                logout_uri: p.logout_uri,
                logout_method: p.logout_method,
                sub_mode: p.sub_mode,
                issuer_mode: p.issuer_mode,
                jwt_federation_sources: [...p.jwt_federation_sources],
                jwt_federation_providers: [...p.jwt_federation_providers],
            };
        },
        destroy: (p) => deleteProvider(db, p),
        filters: {
            name: exactFilter((p) => p.name),
            client_id: exactFilter((p) => p.client_id),
            access_code_validity: exactFilter((p) => p.access_code_validity),
            access_token_validity: exactFilter((p) => p.access_token_validity),
            refresh_token_validity: exactFilter((p) => p.refresh_token_validity),
            include_claims_in_id_token: boolFilter((p) => p.include_claims_in_id_token),
            client_type: { type: "choice", choices: CLIENT_TYPES, test: (p, [v]) => p.client_type === v },
            issuer_mode: { type: "choice", choices: ISSUER_MODES, test: (p, [v]) => p.issuer_mode === v },
            sub_mode: { type: "choice", choices: SUB_MODES, test: (p, [v]) => p.sub_mode === v },
            authorization_flow: {
                type: "model",
                exists: (v) => db.flows.has(v.toLowerCase()),
                test: (p, [v]) => p.authorization_flow === (v ?? "").toLowerCase(),
            },
            signing_key: {
                type: "model",
                exists: (v) => db.certificates.has(v.toLowerCase()),
                test: (p, [v]) => p.signing_key === (v ?? "").toLowerCase(),
            },
            application: {
                type: "model",
                exists: (v) => db.applications.has(v.toLowerCase()),
                test: (p, [v]) => db.applicationOfProvider(p.pk)?.pk === (v ?? "").toLowerCase(),
            },
            property_mappings: {
                type: "model",
                multi: true,
                exists: (v) => db.scopeMappings.has(v.toLowerCase()),
                test: (p, values) => values.some((v) => p.property_mappings.includes(v.toLowerCase())),
            },
        },
        search: (p) => [p.name],
        ordering: ["name"],
    };
}

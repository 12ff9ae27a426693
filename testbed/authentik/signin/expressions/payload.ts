/**
 * The plain JSON the Python shims are built from (never the emulator's JS objects themselves): the user with
 * their direct and inherited groups, the provider and its application, the token's scopes, the HTTP request.
 */
import type { BrandRecord, Db, GroupRecord, ProviderRecord, ScopeMappingRecord, UserRecord } from "../../core/db";
import type { Json, JsonObject } from "../../core/fields";
import { allGroups, DEFAULT_AVATAR, isSuperuser, userUid } from "../../kinds/users";

/** The HTTP request authentik hands to mapping.evaluate(request=...) in the userinfo / token views. */
export interface HttpRequestContext {
    readonly method: string;
    /** path without the query string */
    readonly path: string;
    readonly queryString?: string;
    /** header name -> value (names in any case, e.g. from node's IncomingMessage.headers) */
    readonly headers?: Readonly<Record<string, string | readonly string[] | undefined>>;
    /** request.brand, as authentik's BrandMiddleware sets it (absent: `brand` is not emulated) */
    readonly brand?: BrandRecord;
}

export interface WorldInput {
    readonly db: Db;
    readonly user: UserRecord;
    readonly provider: ProviderRecord;
    readonly token: { readonly scope: readonly string[] };
    readonly httpRequest?: HttpRequestContext;
}

// ORDER BY name in PostgreSQL uses the database collation; the same collator the emulator's list ordering uses.
const collator = new Intl.Collator("en", { sensitivity: "variant", numeric: false });

/** user.groups (stored order), then the inherited groups in the order users.ts's allGroups() finds them. */
function groupOrder(db: Db, user: UserRecord): { direct: string[]; all: string[] } {
    const direct = user.groups.filter((pk) => db.groups.has(pk));
    const all = [...direct];
    for (const pk of allGroups(db, user)) if (db.groups.has(pk) && !all.includes(pk)) all.push(pk);
    return { direct, all };
}

function groupsJson(db: Db, pks: readonly string[]): Json[] {
    const groups = pks.map((pk) => db.groups.get(pk) as GroupRecord);
    const ranked = [...groups].sort((a, b) => collator.compare(a.name, b.name));
    return groups.map((g) => ({
        pk: g.pk,
        name: g.name,
        is_superuser: g.is_superuser,
        attributes: g.attributes,
        // parents outside the user's closure cannot exist: every parent of a member group is an inherited group
        parents: g.parents.filter((pk) => pks.includes(pk)),
        order: ranked.indexOf(g),
    }));
}

function providerJson(db: Db, provider: ProviderRecord): JsonObject {
    const app = db.applicationOfProvider(provider.pk);
    return {
        pk: provider.pk,
        name: provider.name,
        client_id: provider.client_id,
        client_secret: provider.client_secret,
        client_type: provider.client_type,
        include_claims_in_id_token: provider.include_claims_in_id_token,
        sub_mode: provider.sub_mode,
        issuer_mode: provider.issuer_mode,
        access_code_validity: provider.access_code_validity,
        access_token_validity: provider.access_token_validity,
        refresh_token_validity: provider.refresh_token_validity,
        application: app
            ? {
                  pk: app.pk,
                  name: app.name,
                  slug: app.slug,
                  group: app.group,
                  meta_launch_url: app.meta_launch_url,
                  meta_description: app.meta_description,
                  meta_publisher: app.meta_publisher,
                  open_in_new_tab: app.open_in_new_tab,
              }
            : null,
    };
}

function httpRequestJson(request: HttpRequestContext): JsonObject {
    const headers: JsonObject = {};
    for (const [name, value] of Object.entries(request.headers ?? {})) {
        // Django joins repeated headers with "," in META (the WSGI/ASGI server does)
        if (value !== undefined) headers[name] = typeof value === "string" ? value : value.join(",");
    }
    const query = new URLSearchParams(request.queryString ?? "");
    const lists = new Map<string, string[]>();
    for (const [key, value] of query) lists.set(key, [...(lists.get(key) ?? []), value]);
    const brand = request.brand;
    return {
        method: request.method,
        path: request.path,
        query_string: request.queryString ?? "",
        headers,
        query: [...lists.entries()],
        brand: brand
            ? {
                  pk: brand.pk,
                  domain: brand.domain,
                  default: brand.default,
                  branding_title: brand.branding_title,
                  attributes: brand.attributes,
              }
            : null,
    };
}

export function worldJson(input: WorldInput): JsonObject {
    const { db, user } = input;
    const { direct, all } = groupOrder(db, user);
    const world: JsonObject = {
        groups: groupsJson(db, all),
        user: {
            pk: user.pk,
            username: user.username,
            name: user.name,
            email: user.email,
            is_active: user.is_active,
            is_superuser: isSuperuser(db, user),
            path: user.path,
            type: user.type,
            uid: userUid(db, user),
            uuid: user.uuid,
            attributes: user.attributes,
            avatar: DEFAULT_AVATAR,
            date_joined: user.date_joined,
            last_login: user.last_login,
            last_updated: user.last_updated,
            password_change_date: user.password_change_date,
            groups: direct,
            all_groups: all,
        },
        provider: providerJson(db, input.provider),
        token: { scope: [...input.token.scope] },
    };
    if (input.httpRequest) world.http_request = httpRequestJson(input.httpRequest);
    return world;
}

export function mappingJson(mapping: ScopeMappingRecord): JsonObject {
    return {
        pk: mapping.pk,
        name: mapping.name,
        expression: mapping.expression,
        scope_name: mapping.scope_name,
        description: mapping.description,
        managed: mapping.managed,
    };
}

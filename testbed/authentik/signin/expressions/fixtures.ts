/**
 * Test fixtures for the expression tests, built from records (no HTTP): a seeded Db, groups
 * engineering -> staff -> everyone and ops -> staff, a user alice in engineering and ops, an OAuth2 provider with
 * every managed scope mapping, bound to an application.
 */
import type { ApplicationRecord, Db as DbType, GroupRecord, ProviderRecord, ScopeMappingRecord, UserRecord } from "../../core/db";
import { Db } from "../../core/db";
import type { JsonObject } from "../../core/fields";
import { newApplicationRecord } from "../../kinds/applications";
import { newProviderRecord } from "../../kinds/providers";
import { newUserRecord } from "../../kinds/users";
import { seed } from "../../seed";
import type { ExpressionContext } from "./evaluate";

export interface Fixture {
    readonly db: DbType;
    readonly user: UserRecord;
    readonly provider: ProviderRecord;
    readonly application: ApplicationRecord;
    readonly groups: Record<"everyone" | "staff" | "engineering" | "ops", GroupRecord>;
    readonly context: ExpressionContext;
    /** a stored managed mapping by its scope name */
    managed(scopeName: string): ScopeMappingRecord;
    /** an ad-hoc mapping (not stored) */
    mapping(expression: string, name?: string): ScopeMappingRecord;
}

function group(db: DbType, pk: string, name: string, parents: string[], attributes: JsonObject, isSuperuser = false): GroupRecord {
    const record: GroupRecord = { pk, name, is_superuser: isSuperuser, parents, attributes, roles: [] };
    db.groups.set(pk, record);
    return record;
}

export function buildFixture(): Fixture {
    const db = new Db();
    seed(db);
    const everyone = group(db, "0e7c1f3a-5d0b-4c11-9a8e-000000000001", "everyone", [], { portal: "https://portal.example" });
    const staff = group(db, "0e7c1f3a-5d0b-4c11-9a8e-000000000002", "staff", [everyone.pk], { company: "Example", tags: ["staff"], nested: { a: 1 } }, true);
    const engineering = group(db, "0e7c1f3a-5d0b-4c11-9a8e-000000000003", "engineering", [staff.pk], { tags: ["eng"], nested: { b: 2 } });
    const ops = group(db, "0e7c1f3a-5d0b-4c11-9a8e-000000000004", "ops", [staff.pk], { tags: ["ops"], shell: "/bin/sh" });
    const pk = db.nextUserPk();
    const user: UserRecord = {
        ...newUserRecord("2026-05-01T10:00:00.000000Z"),
        pk,
        username: "alice",
        name: "Alice Example",
        email: "alice@example.com",
        groups: [engineering.pk, ops.pk],
        attributes: { shell: "/bin/zsh", tags: ["alice"] },
    };
    db.users.set(pk, user);
    const providerPk = db.nextProviderPk();
    const provider: ProviderRecord = {
        ...newProviderRecord(),
        pk: providerPk,
        name: "Wiki",
        authorization_flow: db.flowBySlug("default-provider-authorization-implicit-consent")?.pk ?? null,
        invalidation_flow: db.flowBySlug("default-provider-invalidation-flow")?.pk ?? null,
        property_mappings: [...db.scopeMappings.keys()],
        client_id: "wiki-client",
        client_secret: "wiki-secret",
        redirect_uris: [{ matching_mode: "strict", url: "https://wiki.example/callback", redirect_uri_type: "authorization" }],
    };
    db.providers.set(providerPk, provider);
    const application: ApplicationRecord = { ...newApplicationRecord(), pk: "0e7c1f3a-5d0b-4c11-9a8e-0000000000aa", name: "Wiki", slug: "wiki", provider: providerPk };
    db.applications.set(application.pk, application);
    const scope = [...db.scopeMappings.values()].map((m) => m.scope_name);
    return {
        db,
        user,
        provider,
        application,
        groups: { everyone, staff, engineering, ops },
        context: { db, user, provider, token: { scope } },
        managed(scopeName) {
            const found = [...db.scopeMappings.values()].find((m) => m.managed !== null && m.scope_name === scopeName);
            if (!found) throw new Error(`no managed scope mapping for ${scopeName}`);
            return found;
        },
        mapping(expression, name = "test mapping") {
            return { pk: "0e7c1f3a-5d0b-4c11-9a8e-0000000000ff", managed: null, name, expression, scope_name: "test", description: "" };
        },
    };
}

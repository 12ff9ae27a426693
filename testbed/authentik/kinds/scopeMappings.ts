/**
 * OAuth scope mappings (ScopeMapping in authentik/providers/oauth2/models.py, a
 * PropertyMapping; API in authentik/providers/oauth2/api/scopes.py).
 * PropertyMapping.name is unique, and so is ManagedModel.managed ("Managed by authentik").
 */
import type { Db, ScopeMappingRecord } from "../core/db";
import { FieldErrors, newUuid, uniqueMessage, type JsonObject } from "../core/fields";
import { boolFilter, exactFilter, type Kind } from "../core/kind";
import { deleteScopeMapping } from "./cascade";

export function scopeMappingKind(db: Db): Kind<ScopeMappingRecord> {
    return {
        objectName: "ScopeMapping",
        pkType: "uuid",
        store: db.scopeMappings as Map<string | number, ScopeMappingRecord>,
        relations: new Set(),
        save(body: JsonObject, existing: ScopeMappingRecord | undefined, errors: FieldErrors): ScopeMappingRecord {
            for (const other of db.scopeMappings.values()) {
                if (other.pk === existing?.pk) continue;
                if (typeof body.name === "string" && other.name === body.name) {
                    errors.add("name", uniqueMessage("Property Mapping", "name"));
                }
                if (typeof body.managed === "string" && other.managed === body.managed) {
                    errors.add("managed", uniqueMessage("Property Mapping", "Managed by authentik"));
                }
            }
            errors.throwIfAny();
            const record: ScopeMappingRecord = existing ?? {
                pk: newUuid(),
                managed: null,
                name: "",
                expression: "",
                scope_name: "",
                description: "",
            };
            if (typeof body.name === "string") record.name = body.name;
            if (typeof body.expression === "string") record.expression = body.expression;
            if (typeof body.scope_name === "string") record.scope_name = body.scope_name;
            if (typeof body.description === "string") record.description = body.description;
            if (body.managed === null || typeof body.managed === "string") record.managed = body.managed;
            db.scopeMappings.set(record.pk, record);
            return record;
        },
        serialize(m: ScopeMappingRecord): JsonObject {
            return {
                pk: m.pk,
                managed: m.managed,
                name: m.name,
                expression: m.expression,
                component: "ak-property-mapping-provider-scope-form",
                verbose_name: "Scope Mapping",
                verbose_name_plural: "Scope Mappings",
                meta_model_name: "authentik_providers_oauth2.scopemapping",
                scope_name: m.scope_name,
                description: m.description,
            };
        },
        destroy: (m) => deleteScopeMapping(db, m),
        filters: {
            name: exactFilter((m) => m.name),
            scope_name: exactFilter((m) => m.scope_name),
            managed: { type: "string", multi: true, test: (m, values) => values.includes(m.managed ?? "\u0000") },
            managed__isnull: boolFilter((m) => m.managed === null),
        },
        search: (m) => [m.name],
        ordering: ["scope_name", "name"],
    };
}

/**
 * The claims a scope mapping returns, for the discovery document's claims_supported.
 * authentik evaluates the Python expression; the emulator reads the keys of a literal
 * `return {...}` dict, which is what the managed mappings are.
 */
export function claimsOf(expression: string): string[] {
    const match = /return\s*\{([\s\S]*)\}\s*$/.exec(expression.trim());
    if (!match) return [];
    const keys: string[] = [];
    const re = /^\s*["']([^"']+)["']\s*:/gm;
    let m: RegExpExecArray | null;
    while ((m = re.exec(match[1] as string)) !== null) keys.push(m[1] as string);
    return keys;
}

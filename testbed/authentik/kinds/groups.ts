/**
 * Groups (authentik/core/models.py Group with `parents` many-to-many through
 * GroupParentageNode; authentik/core/api/groups.py).
 * Group.name is unique; users are the reverse side of User.groups.
 */
import type { Db, GroupRecord, UserRecord } from "../core/db";
import { FieldErrors, newUuid, resolvePkList, uniqueMessage, type Json, type JsonObject } from "../core/fields";
import { boolFilter, exactFilter, type ApiRequest, type Kind } from "../core/kind";
import { ValidationFailed } from "../core/errors";
import { deleteGroup } from "./cascade";
import { userUid } from "./users";

/** Group.num_pk: int(str(uuid.int)[:5]) */
export function numPk(uuid: string): number {
    const big = BigInt(`0x${uuid.replace(/-/g, "")}`);
    return Number(big.toString().slice(0, 5));
}

export function partialUser(db: Db, u: UserRecord): JsonObject {
    return {
        pk: u.pk,
        username: u.username,
        name: u.name,
        is_active: u.is_active,
        last_login: u.last_login,
        email: u.email,
        attributes: u.attributes,
        uid: userUid(db, u),
    };
}

function relatedGroup(g: GroupRecord): JsonObject {
    return { pk: g.pk, name: g.name, is_superuser: g.is_superuser, attributes: g.attributes, group_uuid: g.pk };
}

/** GET parameter as a DRF BooleanField reads it, with the schema's default. */
function flag(req: ApiRequest, name: string, fallback: boolean): boolean {
    const raw = req.query.get(name);
    if (raw === null) return fallback;
    return ["true", "True", "1", "yes", "on"].includes(raw);
}

/** JSON attribute filter shared by users and groups (UsersFilter.filter_attributes). */
export function attributesFilter(value: string): Record<string, Json> {
    let parsed: unknown;
    try {
        parsed = JSON.parse(value);
    } catch {
        throw new ValidationFailed(["filter: failed to parse JSON"]);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        throw new ValidationFailed(["filter: value must be key:value mapping"]);
    }
    return parsed as Record<string, Json>;
}

export function matchesAttributes(attributes: JsonObject, wanted: Record<string, Json>): boolean {
    return Object.entries(wanted).every(([path, expected]) => {
        let current: Json | undefined = attributes;
        for (const part of path.split("__")) {
            if (typeof current !== "object" || current === null || Array.isArray(current)) return false;
            current = current[part];
        }
        return JSON.stringify(current) === JSON.stringify(expected);
    });
}

export function groupKind(db: Db): Kind<GroupRecord> {
    return {
        objectName: "Group",
        pkType: "uuid",
        store: db.groups as Map<string | number, GroupRecord>,
        relations: new Set(["parents", "users", "roles"]),
        save(body: JsonObject, existing: GroupRecord | undefined, errors: FieldErrors): GroupRecord {
            if (typeof body.name === "string") {
                for (const other of db.groups.values()) {
                    if (other.name === body.name && other.pk !== existing?.pk) {
                        errors.add("name", uniqueMessage("Group", "name"));
                    }
                }
            }
            let parents: string[] | undefined;
            if ("parents" in body) {
                parents = resolvePkList<string>(errors, "parents", body.parents, "uuid", (pk) => db.groups.has(pk));
                if (parents && existing && parents.includes(existing.pk)) {
                    errors.add("parents", "Cannot set group as parent of itself.");
                }
            }
            let users: number[] | undefined;
            if ("users" in body) {
                users = resolvePkList<number>(errors, "users", body.users, "int", (pk) => db.users.has(pk));
            }
            if ("roles" in body) {
                // Roles (authentik_rbac) are not emulated: no role pk exists.
                resolvePkList<string>(errors, "roles", body.roles, "uuid", () => false);
            }
            errors.throwIfAny();
            const record: GroupRecord = existing ?? {
                pk: newUuid(),
                name: "",
                is_superuser: false,
                parents: [],
                attributes: {},
                roles: [],
            };
            if (typeof body.name === "string") record.name = body.name;
            if (typeof body.is_superuser === "boolean") record.is_superuser = body.is_superuser;
            if (body.attributes !== undefined && typeof body.attributes === "object" && body.attributes !== null) {
                record.attributes = JSON.parse(JSON.stringify(body.attributes)) as JsonObject;
            }
            if (parents) record.parents = parents;
            db.groups.set(record.pk, record);
            if (users) {
                for (const user of db.users.values()) {
                    const member = user.groups.includes(record.pk);
                    if (users.includes(user.pk) && !member) user.groups.push(record.pk);
                    if (!users.includes(user.pk) && member) user.groups = user.groups.filter((g) => g !== record.pk);
                }
            }
            return record;
        },
        serialize(g: GroupRecord, req: ApiRequest): JsonObject {
            const members = [...db.users.values()].filter((u) => u.groups.includes(g.pk)).sort((a, b) => a.pk - b.pk);
            const children = [...db.groups.values()].filter((c) => c.parents.includes(g.pk));
            const parents = g.parents.map((pk) => db.groups.get(pk)).filter((p): p is GroupRecord => p !== undefined);
            return {
                pk: g.pk,
                num_pk: numPk(g.pk),
                name: g.name,
                is_superuser: g.is_superuser,
                parents: [...g.parents],
                parents_obj: flag(req, "include_parents", false) ? parents.map(relatedGroup) : null,
                users: members.map((u) => u.pk),
                users_obj: flag(req, "include_users", true) ? members.map((u) => partialUser(db, u)) : null,
                attributes: g.attributes,
                roles: [...g.roles],
                roles_obj: [],
                inherited_roles_obj: flag(req, "include_inherited_roles", false) ? [] : null,
                children: children.map((c) => c.pk),
                children_obj: flag(req, "include_children", false) ? children.map(relatedGroup) : null,
            };
        },
        destroy: (g) => deleteGroup(db, g),
        filters: {
            name: exactFilter((g) => g.name),
            is_superuser: boolFilter((g) => g.is_superuser),
            members_by_pk: {
                type: "int",
                multi: true,
                test: (g, values) =>
                    values.some((v) => db.users.get(Number(v))?.groups.includes(g.pk) ?? false),
            },
            members_by_username: {
                type: "string",
                multi: true,
                test: (g, values) =>
                    [...db.users.values()].some((u) => values.includes(u.username) && u.groups.includes(g.pk)),
            },
            attributes: {
                type: "string",
                test: (g, [v]) => matchesAttributes(g.attributes, attributesFilter(v ?? "")),
            },
        },
        search: (g) => [g.name, g.is_superuser ? "true" : "false"],
        ordering: ["name"],
    };
}

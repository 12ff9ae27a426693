/**
 * Users (authentik/core/models.py User, authentik/core/api/users.py).
 * - username: CharField(max_length=150, validators=[UniqueValidator(User.objects.all())])
 *   declared on the serializer, hence DRF's plain "This field must be unique.";
 * - path: no leading/trailing slash, no empty segment (validate_path);
 * - type: internal_service_account cannot be set through the API (validate_type);
 * - passwords are only set through POST /core/users/{id}/set_password/ and never returned.
 */
import { createHash, pbkdf2Sync, randomBytes, timingSafeEqual } from "node:crypto";
import type { Db, UserRecord } from "../core/db";
import { MSG } from "../core/drf";
import { FieldErrors, newUuid, resolvePkList, timestamp, type JsonObject } from "../core/fields";
import { boolFilter, exactFilter, type ApiRequest, type Kind } from "../core/kind";
import { deleteUser } from "./cascade";
import { attributesFilter, matchesAttributes, numPk } from "./groups";

const USER_TYPES = ["internal", "external", "service_account", "internal_service_account"];
// django.contrib.auth's default avatar when avatars are disabled ("none" mode)
export const DEFAULT_AVATAR = "/static/dist/assets/images/user_default.png";

/** User.uid: sha256(f"{id}-{install id}") */
export function userUid(db: Db, user: UserRecord): string {
    return createHash("sha256").update(`${user.pk}-${db.installId}`).digest("hex");
}

/** All groups of a user including ancestors (User.all_groups). */
export function allGroups(db: Db, user: UserRecord): Set<string> {
    const seen = new Set<string>();
    const queue = [...user.groups];
    while (queue.length > 0) {
        const pk = queue.pop() as string;
        if (seen.has(pk)) continue;
        seen.add(pk);
        const group = db.groups.get(pk);
        if (group) queue.push(...group.parents);
    }
    return seen;
}

export function isSuperuser(db: Db, user: UserRecord): boolean {
    for (const pk of allGroups(db, user)) if (db.groups.get(pk)?.is_superuser) return true;
    return false;
}

// Django-style pbkdf2_sha256 hash; a low iteration count keeps the emulator fast.
const ITERATIONS = 1000;

export function hashPassword(raw: string): string {
    const salt = randomBytes(12).toString("base64").replace(/[^A-Za-z0-9]/g, "").slice(0, 16);
    const hash = pbkdf2Sync(raw, salt, ITERATIONS, 32, "sha256").toString("base64");
    return `pbkdf2_sha256$${ITERATIONS}$${salt}$${hash}`;
}

export function checkPassword(raw: string, encoded: string): boolean {
    const [algorithm, iterations, salt, hash] = encoded.split("$");
    if (algorithm !== "pbkdf2_sha256" || !iterations || !salt || !hash) return false;
    const candidate = pbkdf2Sync(raw, salt, Number(iterations), 32, "sha256");
    const expected = Buffer.from(hash, "base64");
    return candidate.length === expected.length && timingSafeEqual(candidate, expected);
}

function flag(req: ApiRequest, name: string, fallback: boolean): boolean {
    const raw = req.query.get(name);
    if (raw === null) return fallback;
    return ["true", "True", "1", "yes", "on"].includes(raw);
}

/** A user as User.objects.create leaves it: model defaults, no groups, an unusable password; pk 0 until saved. */
export function newUserRecord(now: string): UserRecord {
    return {
        pk: 0,
        username: "",
        name: "",
        is_active: true,
        last_login: null,
        date_joined: now,
        groups: [],
        roles: [],
        email: "",
        attributes: {},
        path: "users",
        type: "internal",
        uuid: newUuid(),
        password_change_date: now,
        last_updated: now,
        // set_unusable_password(): "!" + random string, never matches
        password: `!${newUuid()}`,
    };
}

export function userKind(db: Db): Kind<UserRecord> {
    return {
        objectName: "User",
        pkType: "int",
        store: db.users as Map<string | number, UserRecord>,
        relations: new Set(["groups", "roles"]),
        save(body: JsonObject, existing: UserRecord | undefined, errors: FieldErrors): UserRecord {
            if (typeof body.username === "string") {
                for (const other of db.users.values()) {
                    if (other.username === body.username && other.pk !== existing?.pk) errors.add("username", MSG.unique);
                }
            }
            if (typeof body.path === "string") {
                const path = body.path;
                if (path.startsWith("/") || path.endsWith("/")) {
                    errors.add("path", "No leading or trailing slashes allowed.");
                } else if (path.split("/").some((segment) => segment === "")) {
                    errors.add("path", "No empty segments in user path allowed.");
                }
            }
            if (typeof body.type === "string") {
                if (existing && existing.type === "internal_service_account" && body.type !== "internal_service_account") {
                    errors.add("type", "Can't change internal service account to other user type.");
                }
                if (!existing && body.type === "internal_service_account") {
                    errors.add("type", "Setting a user to internal service account is not allowed.");
                }
            }
            let groups: string[] | undefined;
            if ("groups" in body) {
                groups = resolvePkList<string>(errors, "groups", body.groups, "uuid", (pk) => db.groups.has(pk));
            }
            if ("roles" in body) resolvePkList<string>(errors, "roles", body.roles, "uuid", () => false);
            errors.throwIfAny();

            const now = timestamp();
            const record: UserRecord = existing ?? newUserRecord(now);
            for (const key of ["username", "name", "email", "path", "type"] as const) {
                if (typeof body[key] === "string") record[key] = body[key] as string;
            }
            if (typeof body.is_active === "boolean") record.is_active = body.is_active;
            if ("last_login" in body) record.last_login = typeof body.last_login === "string" ? body.last_login : null;
            if (body.attributes !== undefined && typeof body.attributes === "object" && body.attributes !== null) {
                record.attributes = JSON.parse(JSON.stringify(body.attributes)) as JsonObject;
            }
            if (groups) record.groups = groups;
            record.last_updated = now;
            if (!existing) record.pk = db.nextUserPk();
            db.users.set(record.pk, record);
            return record;
        },
        serialize(u: UserRecord, req: ApiRequest): JsonObject {
            const groups = u.groups.map((pk) => db.groups.get(pk)).filter((g) => g !== undefined);
            return {
                pk: u.pk,
                username: u.username,
                name: u.name,
                is_active: u.is_active,
                last_login: u.last_login,
                date_joined: u.date_joined,
                is_superuser: isSuperuser(db, u),
                groups: [...u.groups],
                groups_obj: flag(req, "include_groups", true)
                    ? groups.map((g) => ({
                          pk: g.pk,
                          num_pk: numPk(g.pk),
                          name: g.name,
                          is_superuser: g.is_superuser,
                          attributes: g.attributes,
                      }))
                    : null,
                roles: [...u.roles],
                roles_obj: flag(req, "include_roles", true) ? [] : null,
                email: u.email,
                avatar: DEFAULT_AVATAR,
                attributes: u.attributes,
                uid: userUid(db, u),
                path: u.path,
                type: u.type,
                uuid: u.uuid,
                password_change_date: u.password_change_date,
                last_updated: u.last_updated,
            };
        },
        destroy: (u) => deleteUser(db, u),
        filters: {
            username: exactFilter((u) => u.username),
            email: exactFilter((u) => u.email),
            name: exactFilter((u) => u.name),
            path: exactFilter((u) => u.path),
            path_startswith: { type: "string", test: (u, [v]) => u.path.startsWith(v ?? "") },
            is_active: boolFilter((u) => u.is_active),
            // BooleanFilter(field_name="groups", lookup_expr="is_superuser"): a join over the user's
            // direct groups, so `false` means "in at least one non-superuser group".
            is_superuser: {
                type: "bool",
                test: (u, [v]) => {
                    const wanted = v === "true" || v === "True" || v === "1" ? true : v === "false" || v === "False" || v === "0" ? false : undefined;
                    if (wanted === undefined) return true;
                    return u.groups.some((pk) => db.groups.get(pk)?.is_superuser === wanted);
                },
            },
            uuid: { type: "uuid", test: (u, [v]) => u.uuid === (v ?? "").toLowerCase() },
            type: { type: "choice", multi: true, choices: USER_TYPES, test: (u, values) => values.includes(u.type) },
            groups_by_name: {
                type: "model",
                multi: true,
                exists: (v) => [...db.groups.values()].some((g) => g.name === v),
                test: (u, values) => u.groups.some((pk) => values.includes(db.groups.get(pk)?.name ?? "\u0000")),
            },
            groups_by_pk: {
                type: "model",
                multi: true,
                exists: (v) => db.groups.has(v.toLowerCase()),
                test: (u, values) => values.some((v) => u.groups.includes(v.toLowerCase())),
            },
            attributes: { type: "string", test: (u, [v]) => matchesAttributes(u.attributes, attributesFilter(v ?? "")) },
        },
        search: (u) => [u.username, u.name, u.is_active ? "true" : "false", u.email, u.uuid],
        ordering: ["username"],
    };
}

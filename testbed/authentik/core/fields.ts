/**
 * Field-level helpers shared by the object kinds: error collection in DRF's
 * field-keyed shape, uniqueness, relation lookups, and ids.
 */
import { randomInt, randomUUID } from "node:crypto";
import { ValidationFailed } from "./errors";
import { type DrfErrorObject, type DrfErrors, MSG, invalidUuid, pkDoesNotExist, pkIncorrectType } from "./drf";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Collects field errors; DRF reports all failing fields of a body at once. */
export class FieldErrors {
    private readonly errors: DrfErrorObject = {};
    /** fields that already failed schema validation: DRF stops validating a field at its first error */
    private readonly locked = new Set<string>();

    /** Starts from the errors the schema validation found (already in DRF shape). */
    static from(initial: DrfErrorObject | undefined): FieldErrors {
        const errors = new FieldErrors();
        if (initial) {
            Object.assign(errors.errors, initial);
            for (const key of Object.keys(initial)) errors.locked.add(key);
        }
        return errors;
    }

    add(field: string, message: string | DrfErrors): void {
        if (this.locked.has(field)) return;
        const existing = this.errors[field];
        if (typeof message !== "string") {
            this.errors[field] = message;
            return;
        }
        if (Array.isArray(existing)) (existing as string[]).push(message);
        else this.errors[field] = [message];
    }

    has(field: string): boolean {
        return field in this.errors;
    }

    get empty(): boolean {
        return Object.keys(this.errors).length === 0;
    }

    throwIfAny(): void {
        if (!this.empty) throw new ValidationFailed(this.errors);
    }
}

/** Object-level (serializer.validate) error keyed by one field, as authentik raises them. */
export function fail(field: string, message: string): never {
    throw new ValidationFailed({ [field]: [message] });
}

/** Django's default unique message as DRF's ModelSerializer builds it: "<model verbose_name> with this <field verbose_name> already exists." */
export function uniqueMessage(modelVerboseName: string, fieldVerboseName: string): string {
    return `${modelVerboseName} with this ${fieldVerboseName} already exists.`;
}

const UUID_RE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** Normalises a uuid the way Django's UUIDField accepts it (hyphens optional, any case); undefined when invalid. */
export function parseUuid(value: unknown): string | undefined {
    if (typeof value !== "string") return undefined;
    const compact = value.trim().replace(/^urn:uuid:/i, "").replace(/[{}]/g, "");
    if (!UUID_RE.test(compact)) return undefined;
    const hex = compact.replace(/-/g, "").toLowerCase();
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Parses an integer pk from a URL segment or query value as Django's IntegerField does. */
export function parseIntPk(value: unknown): number | undefined {
    if (typeof value === "number" && Number.isInteger(value)) return value;
    if (typeof value !== "string" || !/^\s*[+-]?\d+\s*$/.test(value)) return undefined;
    const n = Number(value.trim());
    return Number.isSafeInteger(n) ? n : undefined;
}

/**
 * Resolves a PrimaryKeyRelatedField value: reports DRF's messages for a wrong type or a
 * missing object, returns the normalised pk otherwise.
 */
export function resolvePk<K extends string | number>(
    errors: FieldErrors,
    field: string,
    value: unknown,
    kind: "uuid" | "int",
    exists: (pk: K) => boolean,
): K | undefined {
    if (typeof value === "boolean" || value === null || typeof value === "object") {
        errors.add(field, pkIncorrectType(value));
        return undefined;
    }
    if (kind === "uuid") {
        const pk = parseUuid(value);
        if (pk === undefined) {
            errors.add(field, invalidUuid(value));
            return undefined;
        }
        if (!exists(pk as K)) {
            errors.add(field, pkDoesNotExist(value));
            return undefined;
        }
        return pk as K;
    }
    const pk = parseIntPk(value);
    if (pk === undefined) {
        errors.add(field, pkIncorrectType(value));
        return undefined;
    }
    if (!exists(pk as K)) {
        errors.add(field, pkDoesNotExist(value));
        return undefined;
    }
    return pk as K;
}

/** ManyRelatedField: a list of pks; DRF stops at the first failing item. */
export function resolvePkList<K extends string | number>(
    errors: FieldErrors,
    field: string,
    value: unknown,
    kind: "uuid" | "int",
    exists: (pk: K) => boolean,
): K[] | undefined {
    if (!Array.isArray(value)) {
        errors.add(field, MSG.required);
        return undefined;
    }
    const out: K[] = [];
    for (const item of value) {
        const pk = resolvePk<K>(errors, field, item, kind, exists);
        if (pk === undefined) return undefined;
        if (!out.includes(pk)) out.push(pk);
    }
    return out;
}

export function newUuid(): string {
    return randomUUID();
}

const ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** authentik/lib/generators.py generate_id: ascii letters + digits, default length 40. */
export function generateId(length = 40): string {
    let out = "";
    for (let i = 0; i < length; i++) out += ALNUM[randomInt(ALNUM.length)];
    return out;
}

/** DRF DateTimeField rendering under authentik's settings (UTC, microseconds, "Z"). */
export function timestamp(date: Date = new Date()): string {
    return date.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

export function deepCopy<T extends Json>(value: T): T {
    return JSON.parse(JSON.stringify(value)) as T;
}

/** authentik/lib/utils/time.py timedelta_string_validator */
export function timedeltaMessage(value: string): string | undefined {
    const allowed = new Set(["microseconds", "milliseconds", "seconds", "minutes", "hours", "days", "weeks"]);
    let valid = 0;
    for (const pair of value.split(";")) {
        const parts = pair.split("=");
        if (parts.length !== 2) return invalidTimedelta(value);
        const [key, raw] = parts as [string, string];
        if (!allowed.has(key.toLowerCase())) continue;
        // Python float(): optional sign, decimal or exponent, surrounding whitespace.
        if (!/^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/.test(raw)) return invalidTimedelta(value);
        valid++;
    }
    return valid === 0 ? invalidTimedelta(value) : undefined;
}

function invalidTimedelta(value: string): string {
    return `${value} is not in the correct format of 'hours=3;minutes=1'.`;
}

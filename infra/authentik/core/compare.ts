/**
 * Pure comparison helpers shared by the CRUD core and the kind definitions. All of them are serialized into state
 * with the providers (closure serialization), so they stay self-contained.
 */

/** The value Pulumi passes for an input that is not known yet (during preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function containsUnknown(value: unknown): boolean {
    if (value === UNKNOWN) return true;
    if (Array.isArray(value)) return value.some(containsUnknown);
    if (value !== null && typeof value === "object") return Object.values(value).some(containsUnknown);
    return false;
}

/** Structural equality of JSON values; a missing key equals an undefined one. */
export function deepEqual(a: unknown, b: unknown): boolean {
    if (a === b) return true;
    if (Array.isArray(a) || Array.isArray(b)) {
        if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
        return a.every((item, i) => deepEqual(item, b[i]));
    }
    if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
    const left = a as Record<string, unknown>;
    const right = b as Record<string, unknown>;
    const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
    for (const key of keys) if (!deepEqual(left[key], right[key])) return false;
    return true;
}

/** Equality of two arrays as sets of JSON values (order and repetition ignored). */
export function sameMembers(a: readonly unknown[], b: readonly unknown[]): boolean {
    const left = new Set(a.map((v) => JSON.stringify(v)));
    const right = new Set(b.map((v) => JSON.stringify(v)));
    return left.size === right.size && [...left].every((v) => right.has(v));
}

/** The server's members in the order the stack lists them when nothing but the order differs. */
export function inDesiredOrder<T>(observed: readonly T[], desired: readonly T[] | undefined): T[] {
    return desired !== undefined && sameMembers(observed, desired) ? [...desired] : [...observed];
}

/** Whether a field changed between the last state and the new inputs; set fields ignore order. */
export function fieldChanged(old: unknown, next: unknown, asSet: boolean): boolean {
    if (containsUnknown(next)) return true;
    if (asSet && Array.isArray(old) && Array.isArray(next)) return !sameMembers(old, next);
    return !deepEqual(old, next);
}

export type Attributes = Record<string, unknown>;

/** The attribute keys Gatehouse manages on an object: those it sets now and those it set last time. */
export function managedAttributeKeys(desired: Attributes | undefined, previous: Attributes | undefined): string[] {
    return [...new Set([...Object.keys(desired ?? {}), ...Object.keys(previous ?? {})])];
}

/** Only the managed keys of the server's attributes, so keys others set never show as drift. */
export function observeAttributes(server: Attributes | undefined, desired: Attributes | undefined, previous: Attributes | undefined): Attributes {
    const result: Attributes = {};
    for (const key of managedAttributeKeys(desired, previous)) {
        if (server !== undefined && key in server) result[key] = server[key];
    }
    return result;
}

/**
 * The attributes to write: the server's, minus the keys Gatehouse set before and no longer sets, plus the
 * desired keys. Keys set by anyone else are kept as they are.
 */
export function mergeAttributes(server: Attributes | undefined, desired: Attributes, previous: Attributes | undefined): Attributes {
    const result: Attributes = { ...(server ?? {}) };
    for (const key of Object.keys(previous ?? {})) if (!(key in desired)) delete result[key];
    return { ...result, ...desired };
}

/**
 * Attribute that marks an object as created by a stack (`<project>/<stack>`). An object found by natural key
 * that carries the stack's mark is one whose create response was lost: it is taken over without `adopt`.
 */
export const OWNER_ATTRIBUTE = "gatehouse/owner";

/** The owner mark of a server object's attributes, if it has one. */
export function ownerMarkOf(attributes: Attributes | undefined): string | undefined {
    const mark = attributes?.[OWNER_ATTRIBUTE];
    return typeof mark === "string" && mark !== "" ? mark : undefined;
}

/** The attributes without the owner mark (what a released object keeps). */
export function withoutOwnerMark(attributes: Attributes | undefined): Attributes {
    // Not a computed-key destructuring: the provider is serialized into state, and that form does not survive it.
    const rest: Attributes = { ...(attributes ?? {}) };
    delete rest[OWNER_ATTRIBUTE];
    return rest;
}

export function ownedBy(server: Attributes | undefined, desired: Attributes): boolean {
    const mark = desired[OWNER_ATTRIBUTE];
    return typeof mark === "string" && mark !== "" && server?.[OWNER_ATTRIBUTE] === mark;
}

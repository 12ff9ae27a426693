import { isSecretKey, MASK, showValue } from "./mask";
import { UNKNOWN, type JsonValue, type PropertyMap } from "./model";

/** Inputs that are plumbing, not configuration: the serialized dynamic provider, the bridge's internals. */
const PLUMBING = new Set(["__provider", "__internal"]);

export interface PropertyChange {
    readonly key: string;
    readonly old?: JsonValue;
    readonly new?: JsonValue;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Inputs holding the numeric pk of another object. */
const REFERENCE_KEYS = new Set(["provider"]);

const same = (a: JsonValue | undefined, b: JsonValue | undefined) => JSON.stringify(a) === JSON.stringify(b);

/** Top-level inputs that differ (all of them for a create or delete), in key order. */
export function inputChanges(olds: PropertyMap | undefined, news: PropertyMap | undefined): PropertyChange[] {
    const keys = [...new Set([...Object.keys(olds ?? {}), ...Object.keys(news ?? {})])].filter((key) => !PLUMBING.has(key)).sort();
    return keys
        .filter((key) => !same(olds?.[key], news?.[key]))
        .map((key) => ({ key, ...(olds?.[key] !== undefined && { old: olds[key] }), ...(news?.[key] !== undefined && { new: news[key] }) }));
}

/** Items added to and removed from a list (compared as a set: order carries no meaning for Gatehouse's lists). */
export function listChange(old: JsonValue | undefined, next: JsonValue | undefined): { added: JsonValue[]; removed: JsonValue[] } {
    const a = Array.isArray(old) ? old : [];
    const b = Array.isArray(next) ? next : [];
    const key = (v: JsonValue) => JSON.stringify(v);
    const before = new Set(a.map(key));
    const after = new Set(b.map(key));
    return { added: b.filter((v) => !before.has(key(v))), removed: a.filter((v) => !after.has(key(v))) };
}

/** Whether a secret input changes (both sides masked by the engine, so only that it changes is known). */
export function secretChanges(change: PropertyChange): boolean {
    return isSecretKey(change.key) || change.old === MASK || change.new === MASK || change.new === UNKNOWN;
}

/** How one value is shown: masked, and a pk followed by the name it stands for. */
type Show = (value: JsonValue | undefined, key: string) => string;

function lines(prefix: string, key: string, value: JsonValue | undefined, show: Show): string[] {
    if (Array.isArray(value) && value.length > 0) return [`${prefix} ${key}:`, ...value.map((item) => `${prefix}   ${show(item, key)}`)];
    if (value !== null && typeof value === "object" && !Array.isArray(value) && !isSecretKey(key)) {
        const entries = Object.entries(value);
        if (entries.length > 0) return [`${prefix} ${key}:`, ...entries.map(([k, v]) => `${prefix}   ${k}: ${show(v, k)}`)];
    }
    return [`${prefix} ${key}: ${show(value, key)}`];
}

/**
 * The raw property diff of one resource, as the lines of a ```diff block: `-` old, `+` new, a list by its items
 * added and removed. Every value masked (see mask.ts), unknowns as `[unknown]`; `nameOf` names pks.
 */
export function diffLines(changes: readonly PropertyChange[], nameOf: (value: JsonValue | undefined) => string | undefined = () => undefined): string[] {
    const show: Show = (value, key) => {
        const text = showValue(value, key, 300);
        // UUIDs are pks; a number is one only where the key says so (an application's provider), not a counter.
        const pkLike = (typeof value === "string" && UUID.test(value)) || (typeof value === "number" && REFERENCE_KEYS.has(key));
        const name = pkLike ? nameOf(value) : undefined;
        return name !== undefined && text !== MASK ? `${text} (${name})` : text;
    };
    const out: string[] = [];
    for (const change of changes) {
        const { key } = change;
        if (change.old === undefined) out.push(...lines("+", key, change.new, show));
        else if (change.new === undefined) out.push(...lines("-", key, change.old, show));
        else if (Array.isArray(change.old) && Array.isArray(change.new)) {
            const { added, removed } = listChange(change.old, change.new);
            if (added.length === 0 && removed.length === 0) out.push(`~ ${key}: same items, another order`);
            else out.push(`~ ${key}:`, ...removed.map((v) => `-   ${show(v, key)}`), ...added.map((v) => `+   ${show(v, key)}`));
        } else if (show(change.old, key) === show(change.new, key)) {
            // Both sides masked alike (a secret): that it changes is all there is to say.
            out.push(`~ ${key}: ${show(change.new, key)}, a new value`);
        } else {
            out.push(...lines("-", key, change.old, show), ...lines("+", key, change.new, show));
        }
    }
    return out;
}

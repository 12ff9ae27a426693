/**
 * authentik's BlueprintLoader (blueprints/v1/common.py): PyYAML's SafeLoader (YAML 1.1, merge keys, the last of
 * duplicate keys wins) plus authentik's tags, then `from_dict(Blueprint, …)` (dacite; unknown keys ignored).
 * A document PyYAML cannot load (bad YAML, a tag authentik does not know) or dacite refuses raises inside
 * `Importer.from_string`, which the import view does not catch: HTTP 500.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Document } from "yaml";
import { ServerError } from "../kinds/files";
import { BlueprintTag, KNOWN_TAGS, makeTag } from "./tags";

export type Value = string | number | boolean | null | BlueprintTag | Value[] | { [key: string]: Value };

export const ENTRY_STATES = ["absent", "present", "created", "must_created"] as const;
export type EntryState = (typeof ENTRY_STATES)[number];

export interface Entry {
    readonly model: Value;
    readonly state: Value;
    readonly conditions: Value[];
    readonly identifiers: { [key: string]: Value };
    readonly attrs: { [key: string]: Value };
    readonly id: string | null;
}

export interface Blueprint {
    readonly version: number;
    readonly entries: Entry[];
    readonly context: { [key: string]: Value };
    readonly metadata: { readonly name: string; readonly labels: Record<string, string> } | null;
}

function convert(doc: Document, node: unknown): Value {
    if (isAlias(node)) return convert(doc, node.resolve(doc));
    if (isScalar(node) || isSeq(node) || isMap(node)) {
        const tag = node.tag;
        if (tag !== undefined && tag.startsWith("!")) {
            if (!(KNOWN_TAGS as readonly string[]).includes(tag)) throw new ServerError(`yaml.constructor.ConstructorError: could not determine a constructor for the tag '${tag}'`);
            if (isMap(node)) throw new ServerError(`yaml.constructor.ConstructorError: ${tag} on a mapping`);
            return makeTag(tag, isScalar(node) ? String(node.value ?? "") : node.items.map((item) => convert(doc, item)), isScalar(node));
        }
    }
    if (isScalar(node)) {
        const v = node.value;
        return typeof v === "bigint" ? Number(v) : (v as Value);
    }
    if (isSeq(node)) return node.items.map((item) => convert(doc, item));
    if (isMap(node)) {
        const out: { [key: string]: Value } = {};
        for (const pair of node.items) {
            if (!isPair(pair)) continue;
            const key = convert(doc, pair.key);
            // SafeLoader's merge key: the merged mapping's keys, unless given here.
            if (key === "<<" && pair.value !== null) {
                const merged = convert(doc, pair.value);
                for (const source of Array.isArray(merged) ? merged : [merged]) if (source !== null && typeof source === "object" && !Array.isArray(source)) for (const [k, v] of Object.entries(source)) if (!(k in out)) out[k] = v as Value;
                continue;
            }
            out[String(key)] = convert(doc, pair.value);
        }
        return out;
    }
    return null;
}

const isObject = (v: Value | undefined): v is { [key: string]: Value } => v !== null && v !== undefined && typeof v === "object" && !Array.isArray(v) && !(v instanceof BlueprintTag);

/** `Importer.from_string`: the YAML and the Blueprint dataclass; ServerError (500) where authentik's would raise. */
export function loadBlueprint(text: string): Blueprint {
    const doc = parseDocument(text, { version: "1.1", uniqueKeys: false, merge: false });
    if (doc.errors.length > 0) throw new ServerError(`yaml.YAMLError: ${doc.errors[0]!.message.split("\n")[0]}`);
    const raw = convert(doc, doc.contents);
    if (!isObject(raw)) throw new ServerError("dacite.exceptions.WrongTypeError: the blueprint is not a mapping");
    const version = raw.version ?? 1;
    if (typeof version !== "number") throw new ServerError('dacite.exceptions.WrongTypeError: wrong value type for field "version"');
    const rawEntries = raw.entries ?? [];
    const list = Array.isArray(rawEntries) ? rawEntries : isObject(rawEntries) ? Object.values(rawEntries).flatMap((section) => (Array.isArray(section) ? section : [])) : [];
    const entries = list.map((item, i): Entry => {
        if (!isObject(item) || item.model === undefined) throw new ServerError(`dacite.exceptions.MissingValueError: missing value for field "entries[${i}].model"`);
        const state = item.state ?? "present";
        if (typeof state === "string" && !(ENTRY_STATES as readonly string[]).includes(state)) throw new ServerError(`dacite.exceptions.WrongTypeError: '${state}' is not a valid BlueprintEntryDesiredState`);
        const attrs = item.attrs === null ? {} : (item.attrs ?? {});
        return {
            model: item.model,
            state,
            conditions: Array.isArray(item.conditions) ? item.conditions : [],
            identifiers: isObject(item.identifiers) ? item.identifiers : {},
            attrs: isObject(attrs) ? attrs : {},
            id: typeof item.id === "string" ? item.id : null,
        };
    });
    const metadata = raw.metadata;
    if (metadata !== undefined && metadata !== null && (!isObject(metadata) || typeof metadata.name !== "string")) throw new ServerError('dacite.exceptions.MissingValueError: missing value for field "metadata.name"');
    return {
        version,
        entries,
        context: isObject(raw.context) ? raw.context : {},
        metadata: isObject(metadata) ? { name: String(metadata.name), labels: (isObject(metadata.labels) ? metadata.labels : {}) as Record<string, string> } : null,
    };
}

/**
 * authentik blueprint YAML: the custom tags Gatehouse writes (authentik's BlueprintLoader, blueprints/v1/common.py:
 * `!KeyOf <entry id>`, `!Find [<model>, [<field>, <value>], …]`, `!Env <NAME>`) and the document around them.
 */
import { Document, isAlias, isMap, isPair, isScalar, isSeq, parseDocument, YAMLMap, YAMLSeq, type Node } from "yaml";

/** `!KeyOf <id>`: the pk of the object an earlier entry with that `id` made. */
export class KeyOf {
    constructor(readonly id: string) {}
}

/** `!Find [<model>, [<field>, <value>]…]`: the pk of the first object matching every condition, or null. */
export class Find {
    constructor(
        readonly model: string,
        readonly conditions: readonly (readonly [string, string])[],
    ) {}
}

/** `!Env <NAME>`: the value of an environment variable of authentik's worker: how a blueprint carries a secret. */
export class Env {
    constructor(readonly name: string) {}
}

export type BlueprintValue = string | number | boolean | null | KeyOf | Find | Env | readonly BlueprintValue[] | { readonly [key: string]: BlueprintValue | undefined };

function node(doc: Document, value: BlueprintValue | undefined): Node {
    if (value instanceof KeyOf || value instanceof Env) {
        const scalar = doc.createNode(value instanceof KeyOf ? value.id : value.name);
        scalar.tag = value instanceof KeyOf ? "!KeyOf" : "!Env";
        return scalar;
    }
    if (value instanceof Find) {
        const seq = doc.createNode([value.model, ...value.conditions.map((c) => [...c])]);
        seq.tag = "!Find";
        seq.flow = true;
        return seq;
    }
    if (Array.isArray(value)) {
        const seq = new YAMLSeq<Node>();
        for (const item of value as readonly BlueprintValue[]) seq.items.push(node(doc, item));
        return seq;
    }
    if (value !== null && typeof value === "object") {
        const map = new YAMLMap<string, Node>();
        for (const [key, item] of Object.entries(value as Record<string, BlueprintValue | undefined>)) if (item !== undefined) map.set(key, node(doc, item));
        return map;
    }
    return doc.createNode(value ?? null);
}

/** The blueprint as YAML, `comment` as its header. */
export function stringifyBlueprint(value: BlueprintValue, comment: string): string {
    const doc = new Document({});
    doc.contents = node(doc, value) as typeof doc.contents;
    doc.commentBefore = comment;
    return doc.toString({ lineWidth: 0 });
}

/** The tags authentik 2026.8's BlueprintLoader knows; any other fails its YAML load. */
export const AUTHENTIK_TAGS = ["!KeyOf", "!Find", "!FindObject", "!Context", "!Format", "!Condition", "!If", "!Env", "!File", "!Enumerate", "!Value", "!Index", "!AtIndex", "!ParseJSON"] as const;

/**
 * Checks a blueprint before it is sent: YAML that parses (as PyYAML's YAML 1.1 does), tags authentik knows,
 * `version: 1`, entries with a model. authentik answers an unknown tag with a bare HTTP 500, so this says why first.
 */
export function blueprintProblems(text: string): string[] {
    const doc = parseDocument(text, { version: "1.1", uniqueKeys: false });
    const problems = doc.errors.map((e) => e.message.split("\n")[0]!);
    const walk = (n: unknown): void => {
        if (isAlias(n)) return;
        if (isScalar(n) || isSeq(n) || isMap(n)) {
            if (n.tag !== undefined && n.tag.startsWith("!") && !(AUTHENTIK_TAGS as readonly string[]).includes(n.tag)) problems.push(`unknown tag ${n.tag}: authentik knows ${AUTHENTIK_TAGS.join(", ")}`);
        }
        if (isSeq(n)) n.items.forEach(walk);
        if (isMap(n)) n.items.forEach((pair) => (isPair(pair) ? (walk(pair.key), walk(pair.value)) : undefined));
    };
    walk(doc.contents);
    if (problems.length > 0) return problems;
    const plain = doc.toJS({ maxAliasCount: -1 }) as { version?: unknown; entries?: unknown } | null;
    if (plain === null || typeof plain !== "object") return ["not a blueprint: expected a mapping with version and entries"];
    if ((plain.version ?? 1) !== 1) problems.push(`version ${String(plain.version)}: authentik applies version 1 only`);
    const entries = Array.isArray(plain.entries) ? plain.entries : typeof plain.entries === "object" && plain.entries !== null ? Object.values(plain.entries).flat() : [];
    entries.forEach((entry: unknown, i) => {
        if (entry === null || typeof entry !== "object" || !("model" in entry)) problems.push(`entries[${i}]: an entry needs a model`);
    });
    return problems;
}

/**
 * What a compiled schema check reports: an error tree whose leaves are structured issues. Requests turn it into
 * DRF's error shape (core/drf.ts); responses flatten it into "path: problem" lines (describeErrors).
 */
import { jsonType } from "./formats";

export type JsonSchema = { readonly [key: string]: unknown };
export type Direction = "request" | "response";

export type IssueCode =
    | "required"
    | "null"
    | "type"
    | "enum"
    | "blank"
    | "minLength"
    | "maxLength"
    | "pattern"
    | "format"
    | "minimum"
    | "maximum"
    | "maxItems"
    | "oneOf"
    | "writeOnly"
    | "additional";

export interface Issue {
    readonly issue: IssueCode;
    readonly value?: unknown;
    /** expected JSON type, format name, enum values, or limit, depending on the code */
    readonly expected?: unknown;
    /** true when the failing schema is the item schema of an array of objects */
    readonly nested?: boolean;
}

/** Leaf: list of issues. Object: keyed by property. Array errors use `{index: tree}` objects plus the `arrayOf` marker. */
export type ErrorTree = Issue[] | { [key: string]: ErrorTree };

export type Check = (value: unknown) => ErrorTree | undefined;

export interface SchemaDocument {
    readonly components?: { readonly schemas?: Readonly<Record<string, JsonSchema>> };
}
/** "path: problem" lines for an error tree, used for response violations. */
export function describeErrors(tree: ErrorTree, path = ""): string[] {
    if (Array.isArray(tree)) {
        return tree.map((issue) => `${path || "(root)"}: ${describeIssue(issue)}`);
    }
    const lines: string[] = [];
    for (const [key, sub] of Object.entries(tree)) {
        if (key === "$array") continue;
        lines.push(...describeErrors(sub, path ? `${path}.${key}` : key));
    }
    return lines;
}

function describeIssue(issue: Issue): string {
    switch (issue.issue) {
        case "required":
            return "required property missing";
        case "null":
            return "null but not nullable";
        case "type":
            return `expected ${String(issue.expected)}, got ${jsonType(issue.value)} ${JSON.stringify(issue.value)}`;
        case "enum":
            return `${JSON.stringify(issue.value)} not in enum ${JSON.stringify(issue.expected)}`;
        case "writeOnly":
            return "writeOnly property present in a response";
        case "additional":
            return "property not declared in the schema";
        default:
            return `${issue.issue} (${JSON.stringify(issue.expected)}) violated by ${JSON.stringify(issue.value)}`;
    }
}

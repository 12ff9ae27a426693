/**
 * Django REST Framework error shapes and messages.
 *
 * Messages are DRF's (rest_framework/fields.py, relations.py, validators.py) and
 * Django's (core/validators.py, db/models/fields/__init__.py) default texts, since
 * authentik's serializers mostly rely on them.
 */
import type { ErrorTree, Issue } from "../schema/issues";

export type DrfErrors = string[] | DrfErrorObject | DrfErrors[];
export interface DrfErrorObject {
    [field: string]: DrfErrors;
}

export const MSG = {
    required: "This field is required.",
    null: "This field may not be null.",
    blank: "This field may not be blank.",
    string: "Not a valid string.",
    integer: "A valid integer is required.",
    number: "A valid number is required.",
    boolean: "Must be a valid boolean.",
    uuid: "Must be a valid UUID.",
    email: "Enter a valid email address.",
    url: "Enter a valid URL.",
    dateTime:
        "Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].",
    // django.core.validators.validate_slug
    slug: "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.",
    unique: "This field must be unique.",
    notFound: "Not found.",
    invalidPage: "Invalid page.",
    notAuthenticated: "Authentication credentials were not provided.",
    // authentik/api/authentication.py
    tokenInvalid: "Token invalid/expired",
    unsupportedAuth: "Unsupported authentication type",
    malformedHeader: "Malformed header",
} as const;

/** Python's type name for a JSON value, as DRF puts it into messages. */
export function pythonType(value: unknown): string {
    if (value === null) return "NoneType";
    if (Array.isArray(value)) return "list";
    if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
    if (typeof value === "boolean") return "bool";
    if (typeof value === "string") return "str";
    return "dict";
}

/** Python's repr-ish rendering DRF uses in '"{input}" is not a valid choice.' */
function choiceInput(value: unknown): string {
    if (typeof value === "string") return value;
    if (typeof value === "boolean") return value ? "True" : "False";
    if (value === null) return "None";
    if (typeof value === "number") return String(value);
    return JSON.stringify(value);
}

export function choiceMessage(value: unknown): string {
    return `"${choiceInput(value)}" is not a valid choice.`;
}

export function pkDoesNotExist(value: unknown): string {
    return `Invalid pk "${choiceInput(value)}" - object does not exist.`;
}

export function pkIncorrectType(value: unknown): string {
    return `Incorrect type. Expected pk value, received ${pythonType(value)}.`;
}

/** Django's UUIDField message when a malformed uuid reaches the ORM (PrimaryKeyRelatedField). */
export function invalidUuid(value: unknown): string {
    return `“${choiceInput(value)}” is not a valid UUID.`;
}

const IS_DICT = "Value must be a dictionary, and not have any duplicate keys.";

export interface FieldHints {
    /** fields that are DRF PrimaryKeyRelatedFields (single or many) */
    readonly relations?: ReadonlySet<string>;
}

function issueMessage(issue: Issue, relation: boolean): string {
    switch (issue.issue) {
        case "required":
            return MSG.required;
        case "null":
            return MSG.null;
        case "blank":
            return MSG.blank;
        case "type": {
            // ManyRelatedField given a non-list: not_a_list; a single pk of the wrong type: incorrect_type
            if (relation && issue.expected !== "array") return pkIncorrectType(issue.value);
            switch (issue.expected) {
                case "string":
                    return MSG.string;
                case "integer":
                    return MSG.integer;
                case "number":
                    return MSG.number;
                case "boolean":
                    return MSG.boolean;
                case "array":
                    return `Expected a list of items but got type "${pythonType(issue.value)}".`;
                case "object":
                    return issue.nested
                        ? `Invalid data. Expected a dictionary, but got ${pythonType(issue.value)}.`
                        : `Expected a dictionary of items but got type "${pythonType(issue.value)}".`;
                default:
                    return "Invalid value.";
            }
        }
        case "enum":
            return choiceMessage(issue.value);
        case "minLength":
            return `Ensure this field has at least ${String(issue.expected)} characters.`;
        case "maxLength":
            return `Ensure this field has no more than ${String(issue.expected)} characters.`;
        case "pattern":
            return issue.expected === "^[-a-zA-Z0-9_]+$" ? MSG.slug : "This value does not match the required pattern.";
        case "format":
            switch (issue.expected) {
                case "uuid":
                    return relation ? invalidUuid(issue.value) : MSG.uuid;
                case "email":
                    return MSG.email;
                case "uri":
                    return MSG.url;
                case "date-time":
                    return MSG.dateTime;
                default:
                    return "Invalid value.";
            }
        case "minimum":
            return `Ensure this value is greater than or equal to ${String(issue.expected)}.`;
        case "maximum":
            return `Ensure this value is less than or equal to ${String(issue.expected)}.`;
        case "maxItems":
            return `Ensure this field has no more than ${String(issue.expected)} elements.`;
        default:
            return "Invalid value.";
    }
}

function isNestedArrayMarker(tree: ErrorTree): boolean | undefined {
    if (Array.isArray(tree)) return undefined;
    const marker = tree["$array"];
    if (!marker || !Array.isArray(marker)) return undefined;
    return marker[0]?.nested === true;
}

/**
 * Converts an error tree for one request body into DRF's shape:
 * - field → ["message"];
 * - nested serializer lists (many=True) → [{}, {"field": ["message"]}] (one entry per item);
 * - ListField children → {"index": ["message"]};
 * - PrimaryKeyRelatedField(many=True) → flat list of messages (DRF stops at the first bad pk).
 */
export function toDrfErrors(tree: ErrorTree, hints: FieldHints = {}, field?: string): DrfErrors {
    const relation = field !== undefined && (hints.relations?.has(field) ?? false);
    if (Array.isArray(tree)) {
        return tree.map((issue) =>
            // authentik's `attributes = JSONField(validators=[is_dict])` (core/api/utils.py is_dict)
            field === "attributes" && issue.issue === "type" ? IS_DICT : issueMessage(issue, relation),
        );
    }
    const nested = isNestedArrayMarker(tree);
    if (nested !== undefined) {
        const length = Number((tree["$array"] as Issue[])[0]?.expected ?? 0);
        if (relation) {
            // ManyRelatedField raises on the first failing child.
            const first = Object.keys(tree).find((k) => k !== "$array");
            return first ? (toDrfErrors(tree[first] as ErrorTree, hints, field) as string[]) : [];
        }
        if (nested) {
            const list: DrfErrors[] = [];
            for (let i = 0; i < length; i++) {
                const sub = tree[String(i)];
                if (Array.isArray(sub)) {
                    // the item itself is not a dict: a nested serializer's "Invalid data" message
                    list.push(sub.map((issue) => issueMessage(issue.issue === "type" ? { ...issue, nested: true } : issue, false)));
                } else list.push(sub ? toDrfErrors(sub, {}, undefined) : {});
            }
            return list;
        }
        const result: DrfErrorObject = {};
        for (const [key, sub] of Object.entries(tree)) {
            if (key === "$array") continue;
            result[key] = toDrfErrors(sub, {}, undefined);
        }
        return result;
    }
    const result: DrfErrorObject = {};
    for (const [key, sub] of Object.entries(tree)) {
        result[key] = toDrfErrors(sub, hints, field === undefined ? key : undefined);
    }
    return result;
}

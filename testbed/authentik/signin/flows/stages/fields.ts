/**
 * The DRF serializer fields challenge responses are validated with (rest_framework/fields.py CharField,
 * BooleanField): their coercions and error messages, which a stage returns in `response_errors` as
 * `{"string": message, "code": code}` (ChallengeStageView.challenge_invalid).
 */
import type { FieldError, ResponseErrors } from "../challenge";

export interface CharOptions {
    readonly required?: boolean;
    readonly allowBlank?: boolean;
    readonly allowNull?: boolean;
    /** trim_whitespace (default True) */
    readonly trim?: boolean;
}

/** The request data as a dict, or the serializer's non-field error for anything else. */
export function asData(data: unknown): { data: Record<string, unknown>; errors?: ResponseErrors } {
    if (typeof data === "object" && data !== null && !Array.isArray(data)) return { data: data as Record<string, unknown> };
    const type = Array.isArray(data) ? "list" : data === null ? "NoneType" : typeof data === "string" ? "str" : typeof data;
    return {
        data: {},
        errors: { non_field_errors: [{ string: `Invalid data. Expected a dictionary, but got ${type}.`, code: "invalid" }] },
    };
}

/** CharField.run_validation: undefined value = not given */
export function charField(data: Record<string, unknown>, name: string, options: CharOptions = {}): { value?: string | null; error?: FieldError } {
    const raw = data[name];
    if (raw === undefined) {
        return options.required ? { error: { string: "This field is required.", code: "required" } } : {};
    }
    if (raw === null) return options.allowNull ? { value: null } : { error: { string: "This field may not be null.", code: "null" } };
    if (typeof raw === "boolean" || (typeof raw !== "string" && typeof raw !== "number")) {
        return { error: { string: "Not a valid string.", code: "invalid" } };
    }
    let value = String(raw);
    if (options.trim ?? true) value = value.trim();
    if (value === "" && !options.allowBlank) return { error: { string: "This field may not be blank.", code: "blank" } };
    return { value };
}

const TRUE = new Set<unknown>([true, 1, "1", "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y"]);
const FALSE = new Set<unknown>([false, 0, "0", "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N"]);

/** BooleanField(required=True) */
export function booleanField(data: Record<string, unknown>, name: string): { value?: boolean; error?: FieldError } {
    const raw = data[name];
    if (raw === undefined) return { error: { string: "This field is required.", code: "required" } };
    if (raw === null) return { error: { string: "This field may not be null.", code: "null" } };
    if (TRUE.has(raw)) return { value: true };
    if (FALSE.has(raw)) return { value: false };
    return { error: { string: "Must be a valid boolean.", code: "invalid" } };
}

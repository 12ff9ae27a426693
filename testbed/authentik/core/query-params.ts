import { choiceMessage, MSG, type DrfErrorObject } from "./drf";
import { ValidationFailed } from "./errors";

const BOOL_TRUE = new Set(["t", "T", "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "1"]);
const BOOL_FALSE = new Set(["f", "F", "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", "0"]);

/**
 * A PassiveSerializer over query parameters (authentik/api/validation.py `validate(…, location="query")`):
 * DRF reads the last value of a key; an empty value of an optional field counts as absent.
 */
export class QueryParams {
    readonly errors: DrfErrorObject = {};
    constructor(private readonly query: URLSearchParams) {}

    private raw(name: string, required: boolean): string | undefined {
        const values = this.query.getAll(name);
        const value = values[values.length - 1];
        if (value === undefined) {
            if (required) this.errors[name] = [MSG.required];
            return undefined;
        }
        if (value === "" && !required) return undefined;
        return value;
    }

    /** CharField (trim_whitespace, allow_blank=False) */
    char(name: string, required: boolean): string | undefined {
        const value = this.raw(name, required)?.trim();
        if (value === "") {
            this.errors[name] = [MSG.blank];
            return undefined;
        }
        return value;
    }

    choice(name: string, choices: readonly string[], fallback: string): string {
        const value = this.raw(name, false);
        if (value === undefined) return fallback;
        if (!choices.includes(value)) this.errors[name] = [choiceMessage(value)];
        return value;
    }

    bool(name: string, fallback: boolean): boolean {
        const value = this.raw(name, false);
        if (value === undefined) return fallback;
        if (BOOL_TRUE.has(value)) return true;
        if (BOOL_FALSE.has(value)) return false;
        this.errors[name] = [MSG.boolean];
        return fallback;
    }

    throwIfAny(): void {
        if (Object.keys(this.errors).length > 0) throw new ValidationFailed(this.errors);
    }
}


import { isObject } from "./formats";
import type { JsonSchema } from "./issues";
import type { SchemaCompiler } from "./validator";

/**
 * DRF CharField trims surrounding whitespace by default (trim_whitespace=True) before any
 * validation, so "  name " is stored as "name" and "   " is blank. Choice, UUID and
 * date-time fields are not CharFields and are left alone, as are JSONField contents.
 * Returns a trimmed copy of `value` following `schema`.
 */
export function trimStrings(compiler: SchemaCompiler, schema: JsonSchema, value: unknown): unknown {
    const resolved = compiler.resolve(schema);
    if (Array.isArray(resolved.allOf) && resolved.allOf.length === 1 && resolved.type === undefined) {
        return trimStrings(compiler, resolved.allOf[0] as JsonSchema, value);
    }
    if (typeof value === "string") {
        const plainString =
            resolved.type === "string" && resolved.enum === undefined && resolved.format !== "uuid" && resolved.format !== "date-time";
        return plainString ? value.trim() : value;
    }
    if (Array.isArray(value) && isObject(resolved.items)) {
        const items = resolved.items as JsonSchema;
        return value.map((item) => trimStrings(compiler, items, item));
    }
    if (isObject(value) && isObject(resolved.properties)) {
        const properties = resolved.properties as Record<string, JsonSchema>;
        const out: Record<string, unknown> = {};
        for (const [key, item] of Object.entries(value)) {
            const sub = properties[key];
            out[key] = sub ? trimStrings(compiler, sub, item) : item;
        }
        return out;
    }
    return value;
}

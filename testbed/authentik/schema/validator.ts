/**
 * A small compiler for the OpenAPI 3.0 schema subset used by authentik's schema
 * (type, properties, required, additionalProperties, items, enum, nullable, allOf,
 * oneOf, minLength/maxLength/pattern, minimum/maximum, maxItems, formats
 * uuid/date-time/email/uri, readOnly/writeOnly).
 *
 * Each compiled check returns `undefined` when the value is valid, or an error tree
 * whose leaves are structured {@link Issue}s. Request validation turns that tree into
 * Django REST Framework's error shape (see `drf.ts`); response validation flattens it
 * into "path: problem" lines.
 *
 * Direction matters:
 * - request: readOnly properties are ignored (DRF drops read-only input silently);
 * - response: writeOnly properties must not appear, and objects that declare
 *   `properties` without `additionalProperties` may not carry undeclared keys (an
 *   emulator that invents fields is wrong even if a lenient client would not notice).
 */
import { formatOk, isObject, jsonType } from "./formats";
import type { Check, Direction, ErrorTree, Issue, JsonSchema, SchemaDocument } from "./issues";

export type { Check, Direction, ErrorTree, Issue, IssueCode, JsonSchema, SchemaDocument } from "./issues";

const ANNOTATIONS = new Set([
    "description",
    "title",
    "default",
    "example",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
    "discriminator",
    "externalDocs",
    "xml",
]);
const SUPPORTED = new Set([
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "enum",
    "nullable",
    "allOf",
    "oneOf",
    "anyOf",
    "minLength",
    "maxLength",
    "pattern",
    "format",
    "minimum",
    "maximum",
    "maxItems",
    "minItems",
    "$ref",
]);


/** Compiles schemas of one document; compiled checks are cached per schema object and direction. */
export class SchemaCompiler {
    private readonly cache: Record<Direction, WeakMap<object, Check>> = {
        request: new WeakMap(),
        response: new WeakMap(),
    };

    constructor(private readonly doc: SchemaDocument) {}

    resolve(schema: JsonSchema): JsonSchema {
        let current = schema;
        for (let i = 0; i < 32 && typeof current.$ref === "string"; i++) {
            const ref = current.$ref as string;
            const prefix = "#/components/schemas/";
            if (!ref.startsWith(prefix)) throw new Error(`unsupported $ref ${ref}`);
            const target = this.doc.components?.schemas?.[ref.slice(prefix.length)];
            if (!target) throw new Error(`unresolvable $ref ${ref}`);
            current = target;
        }
        return current;
    }

    compile(schema: JsonSchema, direction: Direction): Check {
        const cached = this.cache[direction].get(schema);
        if (cached) return cached;
        // Placeholder for recursive schemas: resolved on first call.
        let compiled: Check | undefined;
        const lazy: Check = (value) => (compiled ?? (compiled = this.build(schema, direction)))(value);
        this.cache[direction].set(schema, lazy);
        compiled = this.build(schema, direction);
        this.cache[direction].set(schema, compiled);
        return compiled;
    }

    private build(schema: JsonSchema, direction: Direction): Check {
        for (const key of Object.keys(schema)) {
            if (!SUPPORTED.has(key) && !ANNOTATIONS.has(key)) {
                throw new Error(`unsupported schema keyword "${key}"`);
            }
        }
        if (typeof schema.$ref === "string") {
            const target = this.resolve(schema);
            const inner = this.compile(target, direction);
            if (schema.nullable === true) return (value) => (value === null ? undefined : inner(value));
            return inner;
        }
        const nullable = schema.nullable === true;
        const parts: Check[] = [];

        const type = typeof schema.type === "string" ? schema.type : undefined;
        if (type) parts.push(this.typeCheck(type));
        if (Array.isArray(schema.enum)) {
            const allowed = schema.enum as unknown[];
            parts.push((value) => (allowed.includes(value) ? undefined : [{ issue: "enum", value, expected: allowed }]));
        }
        if (type === "string" || (!type && (schema.minLength !== undefined || schema.format !== undefined))) {
            parts.push(this.stringCheck(schema));
        }
        if (type === "integer" || type === "number") parts.push(this.numberCheck(schema));
        if (type === "array" || schema.items !== undefined) parts.push(this.arrayCheck(schema, direction));
        if (type === "object" || schema.properties !== undefined) parts.push(this.objectCheck(schema, direction));
        if (Array.isArray(schema.allOf)) {
            for (const sub of schema.allOf as JsonSchema[]) parts.push(this.compile(sub, direction));
        }
        if (Array.isArray(schema.oneOf) || Array.isArray(schema.anyOf)) {
            const exactlyOne = Array.isArray(schema.oneOf);
            const subs = ((schema.oneOf ?? schema.anyOf) as JsonSchema[]).map((s) => this.compile(s, direction));
            parts.push((value) => {
                let passing = 0;
                for (const sub of subs) if (sub(value) === undefined) passing++;
                const ok = exactlyOne ? passing === 1 : passing >= 1;
                return ok ? undefined : [{ issue: "oneOf", value }];
            });
        }

        return (value) => {
            if (value === null) {
                return nullable ? undefined : [{ issue: "null" }];
            }
            for (const part of parts) {
                const error = part(value);
                if (error !== undefined) return error; // first failing keyword wins, like DRF's field validation
            }
            return undefined;
        };
    }

    private typeCheck(type: string): Check {
        return (value) => {
            const actual = jsonType(value);
            if (actual === type || (type === "number" && actual === "integer")) return undefined;
            return [{ issue: "type", value, expected: type }];
        };
    }

    private stringCheck(schema: JsonSchema): Check {
        const minLength = typeof schema.minLength === "number" ? schema.minLength : undefined;
        const maxLength = typeof schema.maxLength === "number" ? schema.maxLength : undefined;
        const pattern = typeof schema.pattern === "string" ? new RegExp(schema.pattern, "u") : undefined;
        const format = typeof schema.format === "string" ? schema.format : undefined;
        return (value) => {
            if (typeof value !== "string") return undefined;
            if (minLength !== undefined && value.length < minLength) {
                return [{ issue: minLength === 1 ? "blank" : "minLength", value, expected: minLength }];
            }
            if (maxLength !== undefined && value.length > maxLength) {
                return [{ issue: "maxLength", value, expected: maxLength }];
            }
            if (pattern && !pattern.test(value)) return [{ issue: "pattern", value, expected: schema.pattern }];
            if (format && !formatOk(format, value)) return [{ issue: "format", value, expected: format }];
            return undefined;
        };
    }

    private numberCheck(schema: JsonSchema): Check {
        const minimum = typeof schema.minimum === "number" ? schema.minimum : undefined;
        const maximum = typeof schema.maximum === "number" ? schema.maximum : undefined;
        return (value) => {
            if (typeof value !== "number") return undefined;
            if (minimum !== undefined && value < minimum) return [{ issue: "minimum", value, expected: minimum }];
            if (maximum !== undefined && value > maximum) return [{ issue: "maximum", value, expected: maximum }];
            return undefined;
        };
    }

    private arrayCheck(schema: JsonSchema, direction: Direction): Check {
        const items = isObject(schema.items) ? (schema.items as JsonSchema) : undefined;
        const itemCheck = items ? this.compile(items, direction) : undefined;
        const nestedObjects = items ? this.isObjectSchema(items) : false;
        const maxItems = typeof schema.maxItems === "number" ? schema.maxItems : undefined;
        return (value) => {
            if (!Array.isArray(value)) return undefined;
            if (maxItems !== undefined && value.length > maxItems) {
                return [{ issue: "maxItems", value, expected: maxItems }];
            }
            if (!itemCheck) return undefined;
            let errors: Record<string, ErrorTree> | undefined;
            for (let i = 0; i < value.length; i++) {
                const error = itemCheck(value[i]);
                if (error !== undefined) {
                    errors ??= {};
                    errors[String(i)] = error;
                }
            }
            if (!errors) return undefined;
            // Marker so the DRF formatter knows whether this is a list of nested serializers.
            errors["$array"] = [{ issue: "type", expected: value.length, nested: nestedObjects }];
            return errors;
        };
    }

    private isObjectSchema(schema: JsonSchema): boolean {
        const resolved = this.resolve(schema);
        if (resolved.type === "object" || resolved.properties !== undefined) return true;
        if (Array.isArray(resolved.allOf) && resolved.allOf.length > 0) {
            return this.isObjectSchema(resolved.allOf[0] as JsonSchema);
        }
        return false;
    }

    private propertyFlags(schema: JsonSchema): { readOnly: boolean; writeOnly: boolean } {
        // readOnly/writeOnly may sit beside an allOf/$ref wrapper or on the target itself.
        let readOnly = schema.readOnly === true;
        let writeOnly = schema.writeOnly === true;
        if (typeof schema.$ref === "string") {
            const target = this.resolve(schema);
            readOnly ||= target.readOnly === true;
            writeOnly ||= target.writeOnly === true;
        }
        return { readOnly, writeOnly };
    }

    private objectCheck(schema: JsonSchema, direction: Direction): Check {
        const properties = isObject(schema.properties) ? (schema.properties as Record<string, JsonSchema>) : {};
        const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
        const checks: Array<{ name: string; check: Check }> = [];
        const forbidden = new Set<string>();
        const ignored = new Set<string>();
        for (const [name, propSchema] of Object.entries(properties)) {
            const { readOnly, writeOnly } = this.propertyFlags(propSchema);
            if (direction === "request" && readOnly) {
                required.delete(name);
                ignored.add(name);
                continue;
            }
            if (direction === "response" && writeOnly) {
                required.delete(name);
                forbidden.add(name);
                continue;
            }
            checks.push({ name, check: this.compile(propSchema, direction) });
        }
        const declared = new Set(Object.keys(properties));
        const additional = schema.additionalProperties;
        const additionalCheck = isObject(additional) ? this.compile(additional as JsonSchema, direction) : undefined;
        const closed =
            additional === false || (direction === "response" && additional === undefined && declared.size > 0);
        const requiredList = [...required];
        return (value) => {
            if (!isObject(value)) return undefined;
            let errors: Record<string, ErrorTree> | undefined;
            for (const name of requiredList) {
                if (!(name in value)) {
                    errors ??= {};
                    errors[name] = [{ issue: "required" }];
                }
            }
            for (const { name, check } of checks) {
                if (!(name in value) || errors?.[name]) continue;
                const error = check(value[name]);
                if (error !== undefined) {
                    errors ??= {};
                    errors[name] = error;
                }
            }
            for (const key of Object.keys(value)) {
                if (declared.has(key)) {
                    if (forbidden.has(key)) {
                        errors ??= {};
                        errors[key] = [{ issue: "writeOnly" }];
                    }
                    continue;
                }
                if (ignored.has(key)) continue;
                if (closed) {
                    errors ??= {};
                    errors[key] = [{ issue: "additional" }];
                } else if (additionalCheck) {
                    const error = additionalCheck(value[key]);
                    if (error !== undefined) {
                        errors ??= {};
                        errors[key] = error;
                    }
                }
            }
            return errors;
        };
    }
}


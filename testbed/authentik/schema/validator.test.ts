import { describe, expect, it } from "vitest";
import { describeErrors } from "./issues";
import { SchemaCompiler, type JsonSchema } from "./validator";
import { toDrfErrors } from "../core/drf";
import { loadOpenApi } from "./openapi";

const doc = {
    components: {
        schemas: {
            Color: { enum: ["red", "green"], type: "string" },
            Child: {
                type: "object",
                properties: { id: { type: "integer", readOnly: true }, name: { type: "string", minLength: 1 } },
                required: ["id", "name"],
            },
            Thing: {
                type: "object",
                properties: {
                    pk: { type: "string", format: "uuid", readOnly: true },
                    name: { type: "string", maxLength: 5 },
                    color: { allOf: [{ $ref: "#/components/schemas/Color" }], nullable: true },
                    secret: { type: "string", writeOnly: true },
                    when: { type: "string", format: "date-time", nullable: true },
                    mail: { type: "string", format: "email" },
                    slug: { type: "string", pattern: "^[-a-zA-Z0-9_]+$" },
                    children: { type: "array", items: { $ref: "#/components/schemas/Child" } },
                    tags: { type: "array", items: { type: "string", format: "uuid" } },
                    attrs: { type: "object", additionalProperties: {} },
                    obj: { allOf: [{ $ref: "#/components/schemas/Child" }], readOnly: true, nullable: true },
                },
                required: ["pk", "name"],
            },
            Either: { oneOf: [{ type: "string" }, { type: "integer" }] },
        },
    },
} as const;

const thing = doc.components.schemas.Thing as unknown as JsonSchema;

describe("schema validator", () => {
    const compiler = new SchemaCompiler(doc as never);
    const request = compiler.compile(thing, "request");
    const response = compiler.compile(thing, "response");
    const pk = "0b4a4e76-5f2d-4c57-9d68-2f6f4ad1b7a1";

    it("ignores readOnly properties in requests (not required, not validated)", () => {
        expect(request({ name: "ok" })).toBeUndefined();
        expect(request({ name: "ok", pk: "whatever" })).toBeUndefined();
    });

    it("requires readOnly properties in responses", () => {
        expect(response({ name: "ok" })).toEqual({ pk: [{ issue: "required" }] });
    });

    it("forbids writeOnly properties in responses but accepts them in requests", () => {
        expect(request({ name: "ok", secret: "s" })).toBeUndefined();
        expect(describeErrors(response({ pk, name: "ok", secret: "s" }) ?? [])).toEqual([
            "secret: writeOnly property present in a response",
        ]);
    });

    it("rejects undeclared properties in responses only", () => {
        expect(request({ name: "ok", extra: 1 })).toBeUndefined();
        expect(response({ pk, name: "ok", extra: 1 })).toEqual({ extra: [{ issue: "additional" }] });
    });

    it("handles nullable with allOf wrappers and enums", () => {
        expect(request({ name: "a", color: null })).toBeUndefined();
        expect(request({ name: "a", color: "red" })).toBeUndefined();
        expect(request({ name: "a", color: "blue" })).toEqual({
            color: [{ issue: "enum", value: "blue", expected: ["red", "green"] }],
        });
        expect(request({ name: null })).toEqual({ name: [{ issue: "null" }] });
    });

    it("checks formats uuid, date-time, email (blank allowed), and patterns", () => {
        expect(response({ pk: "nope", name: "a" })).toEqual({ pk: [{ issue: "format", value: "nope", expected: "uuid" }] });
        expect(request({ name: "a", when: "2026-01-02T03:04:05.123456Z" })).toBeUndefined();
        expect(request({ name: "a", when: "yesterday" })).toMatchObject({ when: [{ issue: "format" }] });
        expect(request({ name: "a", mail: "" })).toBeUndefined();
        expect(request({ name: "a", mail: "x@example.com" })).toBeUndefined();
        expect(request({ name: "a", mail: "not-an-email" })).toMatchObject({ mail: [{ issue: "format" }] });
        expect(request({ name: "a", slug: "bad slug" })).toMatchObject({ slug: [{ issue: "pattern" }] });
    });

    it("reports wrong types and lengths", () => {
        expect(request({ name: 5 })).toEqual({ name: [{ issue: "type", value: 5, expected: "string" }] });
        expect(request({ name: "toolong" })).toMatchObject({ name: [{ issue: "maxLength", expected: 5 }] });
    });

    it("accepts any object for additionalProperties: {} and rejects non-objects", () => {
        expect(request({ name: "a", attrs: { deep: { x: [1] } } })).toBeUndefined();
        expect(request({ name: "a", attrs: "x" })).toMatchObject({ attrs: [{ issue: "type", expected: "object" }] });
    });

    it("validates oneOf (exactly one branch)", () => {
        const either = compiler.compile(doc.components.schemas.Either as unknown as JsonSchema, "request");
        expect(either("a")).toBeUndefined();
        expect(either(1)).toBeUndefined();
        expect(either(true)).toEqual([{ issue: "oneOf", value: true }]);
    });

    it("maps errors to DRF's shapes: nested lists, list fields, relations", () => {
        const tree = request({
            name: 1,
            children: [{ name: "ok" }, { name: "" }, 5],
            tags: ["x"],
        });
        expect(tree).toBeDefined();
        expect(toDrfErrors(tree!, { relations: new Set(["tags"]) })).toEqual({
            name: ["Not a valid string."],
            children: [{}, { name: ["This field may not be blank."] }, ["Invalid data. Expected a dictionary, but got int."]],
            tags: ["“x” is not a valid UUID."],
        });
        expect(toDrfErrors(request({ name: "a", tags: ["x"] })!, {})).toEqual({ tags: { "0": ["Must be a valid UUID."] } });
    });

    it("throws on schema keywords it does not implement", () => {
        expect(() => compiler.compile({ type: "string", contentEncoding: "base64" }, "request")).toThrow(/unsupported schema keyword/);
    });

    it("compiles every component schema of authentik's document in both directions", () => {
        const api = loadOpenApi();
        const schemas = (api as unknown as { doc: { components: { schemas: Record<string, JsonSchema> } } }).doc.components.schemas;
        let count = 0;
        for (const schema of Object.values(schemas)) {
            api.compiler.compile(schema, "request");
            api.compiler.compile(schema, "response");
            count++;
        }
        expect(count).toBeGreaterThan(500);
    });
});

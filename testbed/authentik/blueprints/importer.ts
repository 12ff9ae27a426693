/**
 * authentik's blueprint Importer (blueprints/v1/importer.py) for the models of models.ts: `validate()` applies every
 * entry inside a transaction that is always rolled back, capturing the log; `apply()` applies them for real inside
 * one that is rolled back on the first failure. Entries run in order; each is found by its identifiers (an OR of
 * `pk` and the AND of the others, dict values matched by containment), its attrs merged with the identifiers
 * (deepmerge's always_merger) and saved through the kind's validation; `state` present / created / must_created /
 * absent as authentik handles them.
 */
import type { Db } from "../core/db";
import { FieldErrors, type JsonObject } from "../core/fields";
import { ApiError } from "../core/errors";
import { toDrfErrors, type DrfErrorObject } from "../core/drf";
import type { ApiRequest, Pk } from "../core/kind";
import { hashPassword } from "../kinds/users";
import type { OpenApi } from "../schema/openapi";
import { trimStrings } from "../schema/trim";
import type { Check } from "../schema/validator";
import { ENTRY_STATES, type Blueprint, type Entry, type EntryState } from "./loader";
import { blueprintModels, type BlueprintModel } from "./models";
import { atomic, rolledBack } from "./transaction";
import { EntryInvalid, resolveTags, type TagContext } from "./tags";

/** authentik's LogEventSerializer. */
export interface LogEvent {
    readonly timestamp: string;
    readonly log_level: "debug" | "info" | "warning" | "error";
    readonly logger: string;
    readonly event: string;
    readonly attributes: JsonObject;
}

const LOGGER = "authentik.blueprints.v1.importer";
const REQUEST: ApiRequest = { method: "GET", params: {}, query: new URLSearchParams(), body: undefined, origin: "http://localhost", headers: {} };

/** Python's repr of plain JSON (how authentik's messages print a serializer's errors). */
export function pyRepr(value: unknown): string {
    if (value === null || value === undefined) return "None";
    if (value === true) return "True";
    if (value === false) return "False";
    if (typeof value === "string") return value.includes("'") && !value.includes('"') ? `"${value}"` : `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
    if (Array.isArray(value)) return `[${value.map(pyRepr).join(", ")}]`;
    if (typeof value === "object") return `{${Object.entries(value).map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(", ")}}`;
    return String(value);
}

/** deepmerge's always_merger: dicts merged, lists appended, anything else replaced by `source`'s value. */
function alwaysMerge(target: Record<string, unknown>, source: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = { ...target };
    for (const [key, value] of Object.entries(source)) {
        const existing = out[key];
        if (Array.isArray(existing) && Array.isArray(value)) out[key] = [...existing, ...value];
        else if (isPlain(existing) && isPlain(value)) out[key] = alwaysMerge(existing, value);
        else out[key] = value;
    }
    return out;
}

const isPlain = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** Django's `field=value` for a serialized field (pks and ids compare as text, as the database casts them). */
function sameValue(actual: unknown, expected: unknown): boolean {
    if (actual === expected) return true;
    if ((typeof actual === "string" || typeof actual === "number") && (typeof expected === "string" || typeof expected === "number")) return String(actual).toLowerCase() === String(expected).toLowerCase();
    return JSON.stringify(actual) === JSON.stringify(expected);
}

/** PostgreSQL's jsonb `@>`: everything in `wanted` is in `actual`. */
function contains(actual: unknown, wanted: unknown): boolean {
    if (isPlain(wanted)) return isPlain(actual) && Object.entries(wanted).every(([k, v]) => contains(actual[k], v));
    if (Array.isArray(wanted)) return Array.isArray(actual) && wanted.every((w) => actual.some((a) => contains(a, w)));
    return sameValue(actual, wanted);
}

export class Importer {
    private readonly models: ReadonlyMap<string, BlueprintModel>;
    private readonly checks = new Map<string, { schema: { $ref: string }; check: Check }>();
    private logs: LogEvent[] = [];

    constructor(
        private readonly db: Db,
        private readonly api: OpenApi,
        private readonly blueprint: Blueprint,
        private readonly env: Readonly<Record<string, string | undefined>>,
        private readonly context: Readonly<Record<string, unknown>> = {},
    ) {
        this.models = blueprintModels(db);
    }

    /** `validate()`: version 1, then every entry applied and rolled back; the captured log. */
    validate(): { valid: boolean; logs: LogEvent[] } {
        this.logs = [];
        if (this.blueprint.version !== 1) {
            this.log("warning", "Invalid blueprint version");
            return { valid: false, logs: this.logs };
        }
        const valid = rolledBack(this.db, () => this.applyEntries());
        if (!valid) this.log("warning", "Blueprint validation failed");
        return { valid, logs: this.logs };
    }

    /** `apply()`: every entry for real, all or nothing. */
    apply(): boolean {
        return atomic(this.db, () => this.applyEntries());
    }

    private log(level: LogEvent["log_level"], event: string, attributes: JsonObject = {}): void {
        this.logs.push({ timestamp: new Date().toISOString(), log_level: level, logger: LOGGER, event, attributes });
    }

    private applyEntries(): boolean {
        const instances = new Map<string, string | number>();
        const context = { "goauthentik.io/enterprise/licensed": false, "goauthentik.io/rbac/models": {}, ...this.blueprint.context, ...this.context };
        for (const entry of this.blueprint.entries) {
            const tags = (model: string): TagContext => ({ model, instances, context, env: this.env, find: (name, conditions) => this.find(name, conditions) });
            const modelName = String(resolveTags(entry.model, tags("")));
            const [app = "", name = ""] = modelName.split(".");
            const model = this.models.get(modelName);
            if (model === undefined) {
                this.log("warning", "App or Model does not exist", { app, model: name, emulator: "not a model the Gatehouse authentik emulator knows (see testbed/authentik/blueprints/)" });
                return false;
            }
            const state = resolveTags(entry.state, tags(modelName)) as EntryState;
            if (!(ENTRY_STATES as readonly string[]).includes(state)) {
                this.log("warning", `Entry invalid: '${String(state)}' is not a valid BlueprintEntryDesiredState`, this.entryAttributes(entry, modelName));
                return false;
            }
            try {
                const pk = this.applyEntry(entry, modelName, model, state, tags(modelName));
                if (pk !== undefined && entry.id !== null) instances.set(entry.id, pk);
            } catch (error) {
                if (!(error instanceof EntryInvalid)) throw error;
                this.log("warning", `Entry invalid: ${error.message}`, { ...this.entryAttributes(entry, modelName), error: error.message });
                return false;
            }
        }
        return true;
    }

    private entryAttributes(entry: Entry, model: string): JsonObject {
        return { entry: { model, id: entry.id } };
    }

    /** One entry; returns its instance's pk (what `!KeyOf` gives later entries), undefined when skipped or deleted. */
    private applyEntry(entry: Entry, modelName: string, model: BlueprintModel, state: EntryState, tags: TagContext): Pk | undefined {
        if (!(resolveTags(entry.conditions, tags) as unknown[]).every(Boolean)) {
            this.log("debug", "One or more conditions of this entry are not fulfilled, skipping");
            return undefined;
        }
        if (model.schemas === undefined) throw new EntryInvalid(`Model ${modelName} is not emulated as a blueprint entry (only for !Find)`);
        const identifiers = resolveTags(entry.identifiers, tags) as Record<string, unknown>;
        if (Object.keys(identifiers).length === 0) throw new EntryInvalid("No or invalid identifiers");
        const existing = this.match(model, identifiers);
        if (state === "absent") {
            if (existing !== undefined) {
                model.kind.destroy(existing);
                this.log("debug", "Deleted model", { model: modelName });
            } else this.log("debug", "Entry to delete with no instance, skipping");
            return undefined;
        }
        if (existing !== undefined && state === "must_created") throw new EntryInvalid("State is set to must_created and object exists already");
        if (existing !== undefined && state === "created") {
            this.log("debug", "Instance exists, skipping", { model: modelName, pk: existing.pk });
            return existing.pk;
        }
        this.log("debug", existing !== undefined ? "Initialise serializer with instance" : "Initialised new serializer instance", { model: modelName });
        const body = alwaysMerge(resolveTags(entry.attrs, tags) as Record<string, unknown>, identifiers);
        const extras: Record<string, unknown> = {};
        for (const field of model.blueprintOnly ?? []) {
            if (field in body) extras[field] = body[field];
            delete body[field];
        }
        const record = this.save(model, existing !== undefined ? model.schemas.update : model.schemas.create, body, existing);
        if (typeof extras.password === "string" && extras.password !== "") {
            const user = record as unknown as { password: string; password_change_date: string };
            user.password = hashPassword(extras.password);
            user.password_change_date = new Date().toISOString();
        }
        this.log("debug", "Updated model", { model: modelName, pk: record.pk });
        return record.pk;
    }

    /** The serializer: request schema, trimming, then the kind's own validation. */
    private save(model: BlueprintModel, component: string, body: Record<string, unknown>, existing: { pk: Pk } | undefined): { pk: Pk } {
        let compiled = this.checks.get(component);
        if (compiled === undefined) {
            const schema = { $ref: `#/components/schemas/${component}` };
            compiled = { schema, check: this.api.compiler.compile(schema, "request") };
            this.checks.set(component, compiled);
        }
        const trimmed = trimStrings(this.api.compiler, compiled.schema, body) as JsonObject;
        const tree = compiled.check(trimmed);
        const errors = FieldErrors.from(tree === undefined ? undefined : (toDrfErrors(tree, { relations: model.kind.relations as ReadonlySet<string> }) as DrfErrorObject));
        try {
            errors.throwIfAny();
            return model.kind.save(trimmed, existing, errors);
        } catch (error) {
            if (error instanceof ApiError && error.status === 400) throw new EntryInvalid(`Serializer errors ${pyRepr(error.body)}`);
            throw error;
        }
    }

    /** `model.objects.filter(query).first()` for an entry's identifiers, over the kind's serialized fields. */
    private match(model: BlueprintModel, identifiers: Record<string, unknown>): { pk: Pk } | undefined {
        const { pk, ...rest } = identifiers;
        const others = Object.entries(rest);
        for (const record of model.kind.store.values()) {
            const fields = model.kind.serialize(record, REQUEST);
            for (const [key] of others) if (!(key in fields)) throw new EntryInvalid(`Invalid identifier field: Cannot resolve keyword '${key}' into field.`);
            const byPk = pk !== undefined && sameValue(record.pk, pk);
            const byFields = others.length > 0 && others.every(([key, value]) => (isPlain(value) ? contains(fields[key], value) : sameValue(fields[key], value)));
            if (byPk || byFields) return record;
        }
        return undefined;
    }

    /** `!Find`: the first object of a model matching every condition. */
    private find(modelName: string, conditions: readonly (readonly [string, unknown])[]): string | number | null {
        const model = this.models.get(modelName);
        const [app = "", name = ""] = modelName.split(".");
        if (model === undefined) throw new EntryInvalid(`App '${app}' doesn't have a '${name}' model.`);
        for (const [key] of conditions) if (key.includes("__")) throw new EntryInvalid(`!Find: the lookup ${key} is not emulated (plain field equality only)`);
        for (const record of model.kind.store.values()) {
            const fields = model.kind.serialize(record, REQUEST);
            if (conditions.every(([key, value]) => sameValue(key === "pk" ? record.pk : fields[key], value))) return record.pk;
        }
        return null;
    }
}

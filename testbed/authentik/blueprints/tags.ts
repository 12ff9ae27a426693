/**
 * authentik's blueprint YAML tags (blueprints/v1/common.py), resolved when an entry's fields are read, as
 * `BlueprintEntry.tag_resolver` does. Emulated: !KeyOf, !Find, !Env, !Context, !Format (%s, %d, %%). The other
 * tags authentik knows load (so a blueprint using them is no YAML error) but fail the entry that reads one.
 */

/** Raised as authentik's EntryInvalidError: the entry is invalid, the import fails with a log line. */
export class EntryInvalid extends Error {}

/** What a tag sees when it resolves. */
export interface TagContext {
    /** The model of the entry being read (KeyOf answers a policy binding with the target's pbm_uuid). */
    readonly model: string;
    /** Instances of the entries applied so far, by entry id. */
    readonly instances: ReadonlyMap<string, string | number>;
    /** The blueprint's context (with authentik's defaults). */
    readonly context: Readonly<Record<string, unknown>>;
    /** authentik's process environment (`getenv`). */
    readonly env: Readonly<Record<string, string | undefined>>;
    /** The first object of `model` matching every condition: its pk, or null; unknown models throw EntryInvalid. */
    find(model: string, conditions: readonly (readonly [string, unknown])[]): string | number | null;
}

export abstract class BlueprintTag {
    abstract resolve(ctx: TagContext): unknown;
}

const resolveValue = (value: unknown, ctx: TagContext): unknown => (value instanceof BlueprintTag ? value.resolve(ctx) : value);

class KeyOf extends BlueprintTag {
    constructor(readonly id: string) {
        super();
    }
    resolve(ctx: TagContext): unknown {
        // Applications and flows are PolicyBindingModels: the emulator's pk is already their pbm_uuid.
        const pk = ctx.instances.get(this.id);
        if (pk === undefined) throw new EntryInvalid(`KeyOf: failed to find entry with \`id\` of \`${this.id}\` and a model instance`);
        return pk;
    }
}

class Env extends BlueprintTag {
    constructor(
        readonly key: unknown,
        readonly fallback: unknown,
    ) {
        super();
    }
    resolve(ctx: TagContext): unknown {
        // `getenv(self.key) or self.default`: an empty variable counts as unset.
        const value = ctx.env[String(this.key)];
        return value !== undefined && value !== "" ? value : this.fallback;
    }
}

class Context extends BlueprintTag {
    constructor(
        readonly key: unknown,
        readonly fallback: unknown,
    ) {
        super();
    }
    resolve(ctx: TagContext): unknown {
        const key = String(this.key);
        return resolveValue(Object.hasOwn(ctx.context, key) ? ctx.context[key] : this.fallback, ctx);
    }
}

class Find extends BlueprintTag {
    constructor(
        readonly model: unknown,
        readonly conditions: unknown[],
    ) {
        super();
    }
    resolve(ctx: TagContext): unknown {
        const conditions = this.conditions.map((cond): [string, unknown] => {
            if (!Array.isArray(cond) || cond.length < 2) throw new EntryInvalid("Find: each condition is a [field, value] pair");
            return [String(resolveValue(cond[0], ctx)), resolveValue(cond[1], ctx)];
        });
        return ctx.find(String(resolveValue(this.model, ctx)), conditions);
    }
}

class Format extends BlueprintTag {
    constructor(
        readonly format: unknown,
        readonly args: unknown[],
    ) {
        super();
    }
    resolve(ctx: TagContext): unknown {
        const args = this.args.map((a) => resolveValue(a, ctx));
        let i = 0;
        const text = String(this.format).replace(/%([sd%])/g, (_m, spec: string) => {
            if (spec === "%") return "%";
            if (i >= args.length) throw new EntryInvalid("TypeError: not enough arguments for format string");
            const arg = args[i++];
            return spec === "d" ? String(Math.trunc(Number(arg))) : arg === null ? "None" : arg === true ? "True" : arg === false ? "False" : String(arg);
        });
        if (i < args.length) throw new EntryInvalid("TypeError: not all arguments converted during string formatting");
        if (/%[^sd%]/.test(String(this.format))) throw new EntryInvalid(`!Format: only %s, %d and %% are emulated (${String(this.format)})`);
        return text;
    }
}

class NotEmulated extends BlueprintTag {
    constructor(readonly tag: string) {
        super();
    }
    resolve(): unknown {
        throw new EntryInvalid(`${this.tag} is not emulated by the Gatehouse authentik emulator (emulated: !KeyOf, !Find, !Env, !Context, !Format)`);
    }
}

/** Every tag authentik 2026.8's BlueprintLoader registers. */
export const KNOWN_TAGS = ["!KeyOf", "!Find", "!FindObject", "!Context", "!Format", "!Condition", "!If", "!Env", "!File", "!Enumerate", "!Value", "!Index", "!AtIndex", "!ParseJSON"] as const;

/** The tag object for a node: `scalar` with its text, else a sequence's items (already converted). */
export function makeTag(tag: string, value: string | unknown[], scalar: boolean): BlueprintTag {
    const items = Array.isArray(value) ? value : [value];
    switch (tag) {
        case "!KeyOf":
            return new KeyOf(String(items[0]));
        case "!Env":
        case "!Context":
            return scalar ? new (tag === "!Env" ? Env : Context)(value, null) : new (tag === "!Env" ? Env : Context)(items[0], items[1] ?? null);
        case "!Find":
            return new Find(items[0], items.slice(1));
        case "!Format":
            return new Format(items[0], items.slice(1));
        default:
            return new NotEmulated(tag);
    }
}

/** `tag_resolver`: every tag in a value resolved, recursively (a tag's result is not resolved again). */
export function resolveTags(value: unknown, ctx: TagContext): unknown {
    if (value instanceof BlueprintTag) return value.resolve(ctx);
    if (Array.isArray(value)) return value.map((item) => resolveTags(item, ctx));
    if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveTags(v, ctx)]));
    return value;
}

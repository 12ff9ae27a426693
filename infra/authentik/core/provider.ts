import type * as pulumi from "@pulumi/pulumi";
import { containsUnknown, fieldChanged, OWNER_ATTRIBUTE } from "./compare";
import { connect, DEFAULT_RETRY, rememberStackToken, type RetryPolicy } from "./connection";
import { badRequestFields, describeError, httpStatus, subject } from "./errors";
import type { Apis, CheckFailure, CommonInputs, KindDefinition } from "./kind";

/** A resource's inputs and state: the common inputs plus the kind's fields (plus computed outputs in state). */
export type State<F> = CommonInputs & F & Record<string, unknown>;

export interface ProviderOptions {
    readonly retry: RetryPolicy;
}

/**
 * The one CRUD core every Authentik kind runs on, as a Pulumi dynamic provider.
 *
 * - check: defaults and Gatehouse's own rules;
 * - diff: managed fields (sets ignore order), replacing only for fields that cannot change in place;
 * - create: finds the natural key first; an existing object is taken over when `adopt` is set or when it is
 *   provably ours (a create whose response was lost), else refused; a 400 on the key during POST (a retried or
 *   concurrent create) goes the same way. So an interrupted `pulumi up` converges without duplicates;
 * - update: GET, then PATCH with only the managed fields that differ from the server (nothing untouched is
 *   rewritten), then the kind's side writes (set_password);
 * - read: GET; 404 means gone; returns inputs as well as outputs, so a refresh reports drift;
 * - delete: 404 means already gone; an object this stack adopted is released (left in place, unmarked), never deleted;
 * - an object carrying another stack's owner mark is never taken over, with `adopt` or without.
 *
 * Everything here is serialized into state with the provider: no client, schema, secret or path is captured, the
 * client is loaded inside `connect`, and the token comes from the provider's environment or stack config.
 */
export function crudProvider<F extends object, R, B>(kind: KindDefinition<F, R, B>, options: ProviderOptions = { retry: DEFAULT_RETRY }): pulumi.dynamic.ResourceProvider {
    return {
        async configure(req) {
            rememberStackToken(req.config);
        },
        async check(_olds, news) {
            return checkInputs(kind, news as Partial<State<F>>);
        },
        async diff(_id, olds, news) {
            return diffState(kind, olds as State<F>, news as State<F>);
        },
        async create(inputs) {
            return createObject(kind, inputs as State<F>, options);
        },
        async read(id, props) {
            return readObject(kind, id, props as State<F>, options);
        },
        async update(id, olds, news) {
            return updateObject(kind, id, olds as State<F>, news as State<F>, options);
        },
        async delete(id, props) {
            await deleteObject(kind, id, props as State<F>, options);
        },
    };
}

/** The kind's fields of a state or input bag. */
export function fieldsOf<F extends object>(kind: KindDefinition<F, unknown, unknown>, bag: Partial<F>): F {
    const result: Record<string, unknown> = {};
    for (const field of kind.fields) if (bag[field] !== undefined) result[field] = bag[field];
    return result as F;
}

function secretsOf<F extends object>(kind: KindDefinition<F, unknown, unknown>, ...bags: (Partial<F> | undefined)[]): string[] {
    const values: string[] = [];
    for (const bag of bags) {
        for (const field of kind.secretFields ?? []) {
            const value = bag?.[field];
            if (typeof value === "string" && value !== "") values.push(value);
        }
    }
    return values;
}

export function checkInputs<F extends object>(kind: KindDefinition<F, unknown, unknown>, news: Partial<State<F>>): pulumi.dynamic.CheckResult {
    const failures: CheckFailure[] = [];
    const url = news.url;
    if (!containsUnknown(url) && (typeof url !== "string" || !/^https?:\/\/[^/]/.test(url))) {
        failures.push({ property: "url", reason: "expected the http(s) base URL of Authentik" });
    }
    const fields = trimStrings(kind, kind.normalize(fieldsOf(kind, news as Partial<F>)), failures);
    const key = fields[kind.keyField];
    if (!containsUnknown(key) && (typeof key !== "string" || key === "")) {
        failures.push({ property: kind.keyField, reason: `a ${kind.kind} needs a ${kind.keyApiField}` });
    }
    if (!containsUnknown(fields)) failures.push(...(kind.validate?.(fields) ?? []));
    return { inputs: { ...news, ...fields, adopt: news.adopt === true }, failures };
}

/**
 * DRF's CharField trims surrounding whitespace, so Authentik stores `"x\n"` as `"x"`: trimmed here too, or the
 * difference would show as a change on every run. A secret is refused instead of changed behind the user's back.
 */
function trimStrings<F extends object>(kind: KindDefinition<F, unknown, unknown>, fields: F, failures: CheckFailure[]): F {
    const result: Record<string, unknown> = { ...(fields as Record<string, unknown>) };
    const secret = new Set<string>(kind.secretFields ?? []);
    for (const field of kind.fields) {
        const value = result[field];
        if (typeof value === "string" && value !== value.trim()) {
            if (secret.has(field)) failures.push({ property: field, reason: "must not begin or end with whitespace (Authentik would trim it)" });
            else result[field] = value.trim();
        } else if (Array.isArray(value)) {
            result[field] = value.map((item: unknown) => (typeof item === "string" ? item.trim() : item));
        }
    }
    return result as F;
}

export function diffState<F extends object>(kind: KindDefinition<F, unknown, unknown>, olds: State<F>, news: State<F>): pulumi.dynamic.DiffResult {
    const sets = new Set<string>(kind.setFields ?? []);
    const changed: string[] = kind.fields.filter((field) => fieldChanged(olds[field], news[field], sets.has(field)));
    if (fieldChanged(olds.url, news.url, false)) changed.push("url");
    // A new token (rotated) is an update that writes nothing but keeps the new token in state for delete and refresh.
    if (fieldChanged(olds.token, news.token, false)) changed.push("token");
    const replaces = changed.filter((field) => (kind.replaceOnChange as readonly string[] | undefined)?.includes(field));
    return {
        changes: changed.length > 0,
        replaces,
        // What an in-place update leaves alone. The engine keeps outputs known in a preview only for providers with
        // provider-side preview, which a dynamic provider lacks (and @pulumi/pulumi 3.248's dynamic-provider server
        // drops this list): dependents take the pk from the id instead (core/resource.ts pkFromId).
        stables: Object.keys(olds).filter((key) => key !== "__provider" && !changed.includes(key)),
        deleteBeforeReplace: replaces.length > 0 && kind.deleteBeforeReplace === true,
    };
}

/**
 * State for a server object: the common inputs, the observed managed fields, computed outputs, and whether the
 * object existed before this stack took it over (`adopted`: destroy then releases it instead of deleting it).
 */
function stateFrom<F extends object, R>(kind: KindDefinition<F, R, unknown>, inputs: CommonInputs, remote: R, desired: F, previous?: F, adopted = false): Record<string, unknown> {
    const observed = kind.observe(remote, desired, previous);
    return { url: inputs.url, adopt: inputs.adopt === true, ...(inputs.token !== undefined && { token: inputs.token }), ...observed, ...(kind.computed?.(remote) ?? {}), ...(adopted && { adopted: true }) };
}

/** PATCHes the managed fields that differ from the server; returns the object as it now is. */
async function converge<F extends object, R, B>(kind: KindDefinition<F, R, B>, apis: Apis, current: R, desired: F, previous?: F): Promise<R> {
    const observed = kind.observe(current, desired, previous);
    const sets = new Set<string>(kind.setFields ?? []);
    const writeOnly = new Set<string>(kind.writeOnly ?? []);
    const changed: Partial<F> = {};
    let any = false;
    for (const field of kind.fields) {
        if (writeOnly.has(field) || desired[field] === undefined) continue;
        if (fieldChanged(observed[field], desired[field], sets.has(field))) {
            changed[field] = desired[field];
            any = true;
        }
    }
    if (!any) return current;
    return kind.api.patch(apis, addressOf(kind, kind.api.id(current), observed), kind.request(changed, current, previous));
}

/** Where the API finds the object: its id, or what the kind derives from its fields (an application's slug). */
function addressOf<F extends object>(kind: KindDefinition<F, unknown, unknown>, id: string, fields: Partial<F>): string {
    return kind.api.address?.(id, fields) ?? id;
}

/**
 * Connects to Authentik and runs `work`; whatever fails becomes one message naming the object, with the token
 * and the given secret values masked (see errors.ts). Shared by the CRUD core, lookups and media files.
 */
export async function withAuthentik<T>(target: { readonly kind: string; readonly key: string; readonly url: string; readonly token?: string }, options: ProviderOptions, secrets: readonly string[], work: (apis: Apis) => Promise<T>): Promise<T> {
    let masked = [...secrets];
    try {
        const apis = connect(target.url, options.retry, secrets, target.token);
        masked = apis.secrets;
        return await work(apis);
    } catch (error) {
        throw await describeError(error, { ...target, secrets: masked });
    }
}

function targetOf<F extends object>(kind: KindDefinition<F, unknown, unknown>, state: Partial<State<F>>) {
    return { kind: kind.kind, key: String(state[kind.keyField] ?? "?"), url: String(state.url), ...(typeof state.token === "string" && { token: state.token }) };
}

export async function createObject<F extends object, R, B>(kind: KindDefinition<F, R, B>, inputs: State<F>, options: ProviderOptions): Promise<pulumi.dynamic.CreateResult> {
    const desired = fieldsOf(kind, inputs);
    const key = String(desired[kind.keyField]);
    const secrets = secretsOf(kind, desired);
    return withAuthentik(targetOf(kind, inputs), options, secrets, async (apis) => {
        let adopted = false;
        const takeOver = async (existing: R, reason: string): Promise<R> => {
            if (!kind.owns(existing, desired)) {
                const owner = kind.ownerMark?.(existing);
                if (owner !== undefined) {
                    throw new Error(
                        `${subject({ kind: kind.kind, key })}: ${reason}, and it belongs to stack ${owner} (its ${OWNER_ATTRIBUTE} attribute); ` +
                            `a stack never takes over another stack's objects: give this one its own names (authentik.groups.prefix, authentik.oidc.slug, authentik.oidc.clientId, authentik.brand.domain)`,
                    );
                }
                if (inputs.adopt !== true) throw new Error(`${subject({ kind: kind.kind, key })}: ${reason}; set authentik.adopt to true to take over the existing ${kind.kind}`);
                adopted = true;
            }
            return converge(kind, apis, existing, desired);
        };
        let remote: R;
        const existing = await kind.api.find(apis, key, desired);
        if (existing !== undefined) {
            remote = await takeOver(existing, `${kind.keyApiField}: ${kind.kind} with this ${kind.keyApiField} already exists`);
        } else {
            try {
                remote = await kind.api.create(apis, kind.request(desired, undefined));
            } catch (error) {
                // A retried POST whose first attempt landed, or a concurrent create: find it again by its key.
                if (!(await badRequestFields(error)).includes(kind.keyApiField)) throw error;
                const again = await kind.api.find(apis, key, desired);
                if (again === undefined) throw error;
                const described = (await describeError(error, { kind: kind.kind, key, url: inputs.url, secrets: apis.secrets })).message;
                remote = await takeOver(again, described.slice(subject({ kind: kind.kind, key }).length + 2));
            }
        }
        const id = kind.api.id(remote);
        await kind.afterWrite?.(apis, id, desired, undefined);
        return { id, outs: stateFrom(kind, inputs, remote, desired, undefined, adopted) };
    });
}

export async function readObject<F extends object, R, B>(kind: KindDefinition<F, R, B>, id: string, props: State<F>, options: ProviderOptions): Promise<pulumi.dynamic.ReadResult> {
    const previous = fieldsOf(kind, props);
    const secrets = secretsOf(kind, previous);
    return withAuthentik(targetOf(kind, props), options, secrets, async (apis) => {
        let remote: R;
        try {
            remote = await kind.api.retrieve(apis, addressOf(kind, id, previous));
        } catch (error) {
            if (httpStatus(error) === 404) return { id: "" };
            throw error;
        }
        const state = stateFrom(kind, props, remote, previous, previous, props.adopted === true);
        const inputs: Record<string, unknown> = { url: props.url, adopt: props.adopt === true, ...(props.token !== undefined && { token: props.token }) };
        for (const field of kind.fields) if (state[field] !== undefined) inputs[field] = state[field];
        // The id as the kind makes it now: a refresh moves an id of an older form (an application's slug) to the pk.
        return { id: kind.api.id(remote), props: state, inputs };
    });
}

export async function updateObject<F extends object, R, B>(kind: KindDefinition<F, R, B>, id: string, olds: State<F>, news: State<F>, options: ProviderOptions): Promise<pulumi.dynamic.UpdateResult> {
    const desired = fieldsOf(kind, news);
    const previous = fieldsOf(kind, olds);
    const secrets = secretsOf(kind, desired, previous);
    return withAuthentik(targetOf(kind, news), options, secrets, async (apis) => {
        let current: R;
        try {
            current = await kind.api.retrieve(apis, addressOf(kind, id, previous));
        } catch (error) {
            if (httpStatus(error) !== 404) throw error;
            throw new Error(`${subject({ kind: kind.kind, key: String(desired[kind.keyField]) })}: it no longer exists at ${news.url} (deleted outside Pulumi?); run \`pulumi refresh\` and update again to recreate it`);
        }
        const remote = await converge(kind, apis, current, desired, previous);
        await kind.afterWrite?.(apis, id, desired, previous);
        return { outs: stateFrom(kind, news, remote, desired, previous, olds.adopted === true) };
    });
}

/** Deletes the object; one this stack adopted is released instead: left in place, this stack's mark removed. */
export async function deleteObject<F extends object, R, B>(kind: KindDefinition<F, R, B>, id: string, props: State<F>, options: ProviderOptions): Promise<void> {
    const fields = fieldsOf(kind, props);
    const secrets = secretsOf(kind, fields);
    const at = addressOf(kind, id, fields);
    await withAuthentik(targetOf(kind, props), options, secrets, async (apis) => {
        try {
            if (props.adopted !== true) {
                await kind.api.destroy(apis, at);
            } else if (kind.releaseRequest !== undefined) {
                await kind.api.patch(apis, at, kind.releaseRequest(await kind.api.retrieve(apis, at)));
            }
        } catch (error) {
            if (httpStatus(error) !== 404) throw error;
        }
    });
}

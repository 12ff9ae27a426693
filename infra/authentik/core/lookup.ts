import type * as pulumi from "@pulumi/pulumi";
import { DEFAULT_RETRY, rememberStackToken } from "./connection";
import type { Apis } from "./kind";
import { withAuthentik, type ProviderOptions } from "./provider";

/**
 * A read-only lookup of an object Authentik owns (a flow, a certificate key pair, a managed scope mapping).
 * Serialized with its provider like a kind definition: self-contained functions only.
 */
export interface LookupDefinition<R> {
    /** The object's name in messages: `authentik flow with slug "…" …`. */
    readonly kind: string;
    /** Input holding what is looked for, e.g. `slug`. */
    readonly keyField: string;
    /** What the key is, in messages (`slug`, `name`, `managed id`). */
    readonly keyLabel: string;
    find(apis: Apis, key: string): Promise<R | undefined>;
    outputs(remote: R): Record<string, unknown>;
    /** Why a found object cannot serve (e.g. a certificate without private key), if it cannot. */
    unusable?(remote: R): string | undefined;
}

/**
 * Provider for lookups declared as read resources (`{ id }` in the resource options): the engine reads them on
 * every preview and update, so a missing object stops the preview with a message naming what was looked for,
 * and a destroy never touches them.
 */
export function lookupProvider<R>(def: LookupDefinition<R>, options: ProviderOptions = { retry: DEFAULT_RETRY }): pulumi.dynamic.ResourceProvider {
    return {
        async configure(req) {
            rememberStackToken(req.config);
        },
        async create() {
            throw new Error(`an authentik ${def.kind} lookup is only ever read; declare it with an id`);
        },
        async read(id, props) {
            const bag = (props ?? {}) as Record<string, unknown>;
            return readLookup(def, id, String(bag.url), String(bag[def.keyField]), options, typeof bag.token === "string" ? bag.token : undefined);
        },
        async delete() {
            // Lookups are external: Authentik's object stays.
        },
    };
}

export async function readLookup<R>(def: LookupDefinition<R>, id: string, url: string, key: string, options: ProviderOptions, token?: string): Promise<pulumi.dynamic.ReadResult> {
    const described = `${def.kind} with ${def.keyLabel} "${key}"`;
    const found = await withAuthentik({ kind: def.kind, key, url, ...(token !== undefined && { token }) }, options, [], (apis) => def.find(apis, key));
    if (found === undefined) throw new Error(`authentik ${described} was not found at ${url}`);
    const problem = def.unusable?.(found);
    if (problem !== undefined) throw new Error(`authentik ${described} cannot be used: ${problem}`);
    // The token (a secret input, so a secret output) stays in state for a refresh's read.
    return { id, props: { url, [def.keyField]: key, ...(token !== undefined && { token }), ...def.outputs(found) } };
}

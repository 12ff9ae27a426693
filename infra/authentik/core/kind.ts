import type { AdminApi, CoreApi, CryptoApi, FlowsApi, PoliciesApi, PropertymappingsApi, ProvidersApi } from "@goauthentik/api";

/**
 * The official client's API groups, built inside a provider method (never captured: see connection.ts).
 * `secrets` lists every value that must never appear in a message (the token, secret inputs).
 */
export interface Apis {
    readonly url: string;
    readonly core: CoreApi;
    readonly providers: ProvidersApi;
    readonly propertyMappings: PropertymappingsApi;
    readonly flows: FlowsApi;
    readonly crypto: CryptoApi;
    readonly admin: AdminApi;
    readonly policies: PoliciesApi;
    readonly secrets: string[];
}

/** What every Authentik resource takes besides its own fields. Neither is sent to Authentik. */
export interface CommonInputs {
    /** Base URL of the Authentik instance, e.g. `https://auth.example.com`. The API token is never an input. */
    readonly url: string;
    /** Take over an existing object with the same natural key instead of failing on the uniqueness error. */
    readonly adopt: boolean;
    /** The API token when it is not the stack's (the local runtime's bootstrap token): a Pulumi secret, never sent as a field. */
    readonly token?: string;
}

export interface CheckFailure {
    readonly property: string;
    readonly reason: string;
}

/** A named field of a kind's input shape. */
export type FieldOf<F> = keyof F & string;

/**
 * Everything the shared CRUD core needs to know about one kind of Authentik object. `F` is the kind's managed
 * state in input shape (plain JSON: what the resource takes and what its outputs report), `R` the client's
 * response model, `B` the client's request body.
 *
 * Every function here is serialized into state with the provider (closure serialization): it must be
 * self-contained, use only its arguments and plain helpers, and load nothing at module scope.
 */
export interface KindDefinition<F extends object, R, B> {
    /** The object's name in messages: `authentik <kind> "<key>": …`. */
    readonly kind: string;
    /** Input field holding the natural key (slug, name, username, domain). */
    readonly keyField: FieldOf<F>;
    /** The same field as Authentik names it in request and error bodies. */
    readonly keyApiField: string;
    /** Fields Gatehouse manages: compared in diff, sent on create, and on update when they differ from the server. */
    readonly fields: readonly FieldOf<F>[];
    /** Array fields whose order carries no meaning (M2M relations): compared as sets, so a reordering is no change. */
    readonly setFields?: readonly FieldOf<F>[];
    /** Fields that cannot change in place; a change replaces the object. */
    readonly replaceOnChange?: readonly FieldOf<F>[];
    /** The replacement must be deleted before its successor is created (e.g. one provider per application). */
    readonly deleteBeforeReplace?: boolean;
    /** Fields Authentik never returns (passwords): kept from the inputs, written by `afterWrite`. */
    readonly writeOnly?: readonly FieldOf<F>[];
    /** Fields whose values must never appear in messages. */
    readonly secretFields?: readonly FieldOf<F>[];
    /** Fills defaults into partially given inputs. */
    normalize(news: Partial<F>): F;
    /** Refuses inputs Authentik would accept but Gatehouse must not (e.g. a provider without signing key). */
    validate?(fields: F): CheckFailure[];
    /**
     * The server's object in input shape. `desired` (and `previous`, the last state) say which parts are ours,
     * e.g. which attribute keys, and in which order an unchanged set is reported.
     */
    observe(remote: R, desired: F, previous?: F): F;
    /**
     * The request body for `fields` (all of them on create, the changed ones on update). `current` is the server's
     * object on update, so that merged fields (attributes) keep what Gatehouse does not manage.
     */
    request(fields: Partial<F>, current: R | undefined, previous?: F): B;
    /** Extra outputs from the server's object (pk, generated values). */
    computed?(remote: R): Record<string, unknown>;
    /**
     * Whether an existing object with our natural key is provably the one this resource created (a create whose
     * response was lost): it is then taken over without `adopt`.
     */
    owns(remote: R, desired: F): boolean;
    /**
     * The owner mark (`gatehouse/owner`) the server's object carries, for kinds with attributes: an object marked by
     * another stack is never taken over, `adopt` or not.
     */
    ownerMark?(remote: R): string | undefined;
    /** The request that takes this stack's mark off an adopted object, which destroy releases instead of deleting. */
    releaseRequest?(remote: R): B;
    /** Writes that go through their own endpoint (set_password), after create, adoption and update. */
    afterWrite?(apis: Apis, id: string, desired: F, previous: F | undefined): Promise<void>;
    readonly api: {
        create(apis: Apis, body: B): Promise<R>;
        retrieve(apis: Apis, id: string): Promise<R>;
        patch(apis: Apis, id: string, body: B): Promise<R>;
        destroy(apis: Apis, id: string): Promise<void>;
        /** The object with this natural key (for keys that span fields, `desired` holds the rest), or undefined. */
        find(apis: Apis, key: string, desired: F): Promise<R | undefined>;
        /** The resource's id: the object's pk (dependents take the pk from the id, see core/resource.ts pkFromId). */
        id(remote: R): string;
        /** What retrieve, patch and destroy take when it is not the id (an application's slug), from the object's fields. */
        address?(id: string, fields: Partial<F>): string;
    };
}

/** One page of a DRF list, as the client returns it. */
export interface Page<T> {
    readonly results: T[];
    readonly pagination: { readonly next: number };
}

/** Walks every page of a list until `match` finds an object. Filters are hints: the match is checked here. */
export async function findInPages<T>(list: (page: number) => Promise<Page<T>>, match: (item: T) => boolean): Promise<T | undefined> {
    for (let page = 1; page > 0; ) {
        const result = await list(page);
        const found = result.results.find(match);
        if (found !== undefined) return found;
        page = result.pagination.next;
    }
    return undefined;
}

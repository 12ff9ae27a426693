import * as pulumi from "@pulumi/pulumi";
import type { PatchedScopeMappingRequest, ScopeMapping as RemoteScopeMapping, ScopeMappingRequest } from "@goauthentik/api";
import { deepEqual } from "./core/compare";
import { findInPages, type KindDefinition } from "./core/kind";
import { byName, ByNameResource } from "./core/by-name";
import { crudProvider } from "./core/provider";
import { MODULE, pkFromId, type AuthentikResourceArgs } from "./core/resource";

/** A scope mapping's managed fields (an OAuth2 scope and the claims its expression returns). */
export interface ScopeMappingFields {
    readonly name: string;
    /** The OAuth2 scope that triggers the mapping, e.g. `groups`. */
    readonly scopeName: string;
    /** Python returning a dict of claims. */
    readonly expression: string;
    /** Shown to the user on the consent screen. */
    readonly description: string;
}

export const scopeMappingKind: KindDefinition<ScopeMappingFields, RemoteScopeMapping, PatchedScopeMappingRequest> = {
    kind: "scope mapping",
    keyField: "name",
    keyApiField: "name",
    fields: ["name", "scopeName", "expression", "description"],
    normalize: (f) => ({ name: f.name ?? "", scopeName: f.scopeName ?? "", expression: f.expression ?? "", description: f.description ?? "" }),
    validate: (f) => (f.scopeName === "" ? [{ property: "scopeName", reason: "a scope mapping needs the scope it answers" }] : []),
    observe: (r) => ({ name: r.name, scopeName: r.scopeName, expression: r.expression, description: r.description ?? "" }),
    request: (f) => ({
        ...(f.name !== undefined && { name: f.name }),
        ...(f.scopeName !== undefined && { scopeName: f.scopeName }),
        ...(f.expression !== undefined && { expression: f.expression }),
        ...(f.description !== undefined && { description: f.description }),
    }),
    computed: (r) => ({ pk: r.pk }),
    // No attributes to mark it: an object with exactly our name, scope and expression is one we created.
    owns: (r, desired) =>
        deepEqual({ name: r.name, scopeName: r.scopeName, expression: r.expression, description: r.description ?? "" }, desired) && (r.managed ?? null) === null,
    api: {
        create: (apis, body) => apis.propertyMappings.propertymappingsProviderScopeCreate({ scopeMappingRequest: body as ScopeMappingRequest }),
        retrieve: (apis, id) => apis.propertyMappings.propertymappingsProviderScopeRetrieve({ pmUuid: id }),
        patch: (apis, id, body) => apis.propertyMappings.propertymappingsProviderScopePartialUpdate({ pmUuid: id, patchedScopeMappingRequest: body }),
        destroy: (apis, id) => apis.propertyMappings.propertymappingsProviderScopeDestroy({ pmUuid: id }),
        find: (apis, key) => findInPages((page) => apis.propertyMappings.propertymappingsProviderScopeList({ name: key, page }), (m) => m.name === key),
        id: (r) => r.pk,
    },
};

const provider = byName("ScopeMapping", crudProvider(scopeMappingKind));

export interface ScopeMappingArgs extends AuthentikResourceArgs {
    readonly name: pulumi.Input<string>;
    readonly scopeName: pulumi.Input<string>;
    readonly expression: pulumi.Input<string>;
    /** Consent-screen text. Default empty. */
    readonly description?: pulumi.Input<string>;
}

/** An OAuth2 scope mapping (`/propertymappings/provider/scope/`), natural key: name. */
export class ScopeMapping extends ByNameResource {
    /** Known in an update preview, as dependents need it (see pkFromId). */
    declare readonly pk: pulumi.Output<string>;
    declare readonly name: pulumi.Output<string>;
    declare readonly scopeName: pulumi.Output<string>;
    declare readonly expression: pulumi.Output<string>;
    declare readonly description: pulumi.Output<string>;

    constructor(name: string, args: ScopeMappingArgs, opts?: pulumi.CustomResourceOptions) {
        super(provider, name, { ...args, pk: undefined }, opts, MODULE, "ScopeMapping");
        this.pk = pkFromId(this);
    }
}

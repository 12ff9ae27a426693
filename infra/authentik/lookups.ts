import * as pulumi from "@pulumi/pulumi";
import type { CertificateKeyPair, Flow, ScopeMapping as RemoteScopeMapping } from "@goauthentik/api";
import { byName, ByNameResource } from "./core/by-name";
import { findInPages } from "./core/kind";
import { lookupProvider, type LookupDefinition } from "./core/lookup";
import { MODULE } from "./core/resource";

export const flowLookup: LookupDefinition<Flow> = {
    kind: "flow",
    keyField: "slug",
    keyLabel: "slug",
    find: (apis, slug) => findInPages((page) => apis.flows.flowsInstancesList({ slug, page }), (f) => f.slug === slug),
    outputs: (f) => ({ pk: f.pk, name: f.name, designation: f.designation }),
};

export const certificateKeyPairLookup: LookupDefinition<CertificateKeyPair> = {
    kind: "certificate key pair",
    keyField: "name",
    keyLabel: "name",
    find: (apis, name) => findInPages((page) => apis.crypto.cryptoCertificatekeypairsList({ name, page }), (c) => c.name === name),
    outputs: (c) => ({ pk: c.pk, fingerprintSha256: c.fingerprintSha256 ?? "" }),
    unusable: (c) => (c.privateKeyAvailable ? undefined : "it has no private key, so it cannot sign tokens"),
};

export const managedScopeMappingLookup: LookupDefinition<RemoteScopeMapping> = {
    kind: "scope mapping",
    keyField: "managed",
    keyLabel: "managed id",
    find: (apis, managed) => findInPages((page) => apis.propertyMappings.propertymappingsProviderScopeList({ managed: [managed], page }), (m) => m.managed === managed),
    outputs: (m) => ({ pk: m.pk, name: m.name, scopeName: m.scopeName }),
};

const flowProvider = byName("FlowLookup", lookupProvider(flowLookup));
const certificateProvider = byName("CertificateKeyPairLookup", lookupProvider(certificateKeyPairLookup));
const scopeMappingProvider = byName("ScopeMappingLookup", lookupProvider(managedScopeMappingLookup));

/** Where Authentik is, for a lookup. */
export interface LookupArgs {
    readonly url: pulumi.Input<string>;
    /** The API token when it is not the stack's (see AuthentikResourceArgs.token); a secret. */
    readonly token?: pulumi.Input<string>;
}

/** A flow, by slug (read on every run; a missing flow fails naming the slug). */
export class FlowLookup extends ByNameResource {
    declare readonly pk: pulumi.Output<string>;
    declare readonly slug: pulumi.Output<string>;
    declare readonly name: pulumi.Output<string>;
    declare readonly designation: pulumi.Output<string>;

    constructor(name: string, args: LookupArgs & { readonly slug: string }, opts?: pulumi.CustomResourceOptions) {
        super(flowProvider, name, { ...args, pk: undefined, name: undefined, designation: undefined }, { ...opts, id: `flow:${args.slug}` }, MODULE, "FlowLookup");
    }
}

/** A certificate key pair, by name; one without a private key is refused (it cannot sign). */
export class CertificateKeyPairLookup extends ByNameResource {
    declare readonly pk: pulumi.Output<string>;
    declare readonly name: pulumi.Output<string>;
    declare readonly fingerprintSha256: pulumi.Output<string>;

    constructor(name: string, args: LookupArgs & { readonly name: string }, opts?: pulumi.CustomResourceOptions) {
        super(certificateProvider, name, { ...args, pk: undefined, fingerprintSha256: undefined }, { ...opts, id: `certificate-key-pair:${args.name}` }, MODULE, "CertificateKeyPairLookup");
    }
}

/** A scope mapping Authentik manages (e.g. `goauthentik.io/providers/oauth2/scope-openid`), by managed id. */
export class ScopeMappingLookup extends ByNameResource {
    declare readonly pk: pulumi.Output<string>;
    declare readonly name: pulumi.Output<string>;
    declare readonly scopeName: pulumi.Output<string>;

    constructor(name: string, args: LookupArgs & { readonly managed: string }, opts?: pulumi.CustomResourceOptions) {
        super(scopeMappingProvider, name, { ...args, pk: undefined, name: undefined, scopeName: undefined }, { ...opts, id: `scope-mapping:${args.managed}` }, MODULE, "ScopeMappingLookup");
    }
}

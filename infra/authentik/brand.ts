import * as pulumi from "@pulumi/pulumi";
import type { Brand as RemoteBrand, BrandRequest, PatchedBrandRequest } from "@goauthentik/api";
import { mergeAttributes, observeAttributes, ownedBy, ownerMarkOf, withoutOwnerMark, type Attributes } from "./core/compare";
import { findInPages, type KindDefinition } from "./core/kind";
import { byName, ByNameResource } from "./core/by-name";
import { crudProvider } from "./core/provider";
import { MODULE, pkFromId, withOwner, type AuthentikResourceArgs } from "./core/resource";

/** A brand's managed fields. Flows, certificates and the rest stay as Authentik has them. */
export interface BrandFields {
    /** Domain that activates the brand (a superset matches: `a.b` matches `x.a.b`). */
    readonly domain: string;
    readonly default: boolean;
    readonly title: string;
    /** What Authentik accepts: a `/static/…` path, an http(s) URL, or the name of a file in its media storage. */
    readonly logo: string;
    readonly favicon: string;
    readonly customCss: string;
    /** Only these keys are managed (Authentik keeps theme and locale settings here too). */
    readonly attributes: Attributes;
}

export const brandKind: KindDefinition<BrandFields, RemoteBrand, PatchedBrandRequest> = {
    kind: "brand",
    keyField: "domain",
    keyApiField: "domain",
    fields: ["domain", "default", "title", "logo", "favicon", "customCss", "attributes"],
    normalize: (f) => ({
        domain: f.domain ?? "",
        default: f.default ?? false,
        title: f.title ?? "authentik",
        logo: f.logo ?? "/static/dist/assets/icons/icon_left_brand.svg",
        favicon: f.favicon ?? "/static/dist/assets/icons/icon.png",
        customCss: f.customCss ?? "",
        attributes: f.attributes ?? {},
    }),
    observe: (r, desired, previous) => ({
        domain: r.domain,
        default: r._default ?? false,
        title: r.brandingTitle ?? "",
        logo: r.brandingLogo ?? "",
        favicon: r.brandingFavicon ?? "",
        customCss: r.brandingCustomCss ?? "",
        attributes: observeAttributes(r.attributes, desired.attributes, previous?.attributes),
    }),
    request: (f, current, previous) => ({
        ...(f.domain !== undefined && { domain: f.domain }),
        ...(f.default !== undefined && { _default: f.default }),
        ...(f.title !== undefined && { brandingTitle: f.title }),
        ...(f.logo !== undefined && { brandingLogo: f.logo }),
        ...(f.favicon !== undefined && { brandingFavicon: f.favicon }),
        ...(f.customCss !== undefined && { brandingCustomCss: f.customCss }),
        ...(f.attributes !== undefined && { attributes: mergeAttributes(current?.attributes, f.attributes, previous?.attributes) }),
    }),
    computed: (r) => ({ pk: r.brandUuid }),
    owns: (r, desired) => ownedBy(r.attributes, desired.attributes),
    ownerMark: (r) => ownerMarkOf(r.attributes),
    releaseRequest: (r) => ({ attributes: withoutOwnerMark(r.attributes) }),
    api: {
        create: (apis, body) => apis.core.coreBrandsCreate({ brandRequest: body as BrandRequest }),
        retrieve: (apis, id) => apis.core.coreBrandsRetrieve({ brandUuid: id }),
        patch: (apis, id, body) => apis.core.coreBrandsPartialUpdate({ brandUuid: id, patchedBrandRequest: body }),
        destroy: (apis, id) => apis.core.coreBrandsDestroy({ brandUuid: id }),
        // Older Authentik releases do not enforce unique domains: the match is checked here, on every page.
        find: (apis, key) => findInPages((page) => apis.core.coreBrandsList({ domain: key, page }), (b) => b.domain === key),
        id: (r) => r.brandUuid,
    },
};

const provider = byName("Brand", crudProvider(brandKind));

export interface BrandArgs extends AuthentikResourceArgs {
    readonly domain: pulumi.Input<string>;
    /** The brand for requests no other brand matches (Authentik allows one). Default false. */
    readonly default?: pulumi.Input<boolean>;
    /** Default `authentik`. */
    readonly title?: pulumi.Input<string>;
    /** Default: Authentik's own logo. */
    readonly logo?: pulumi.Input<string>;
    /** Default: Authentik's own favicon. */
    readonly favicon?: pulumi.Input<string>;
    /** CSS applied to Authentik's pages for this brand. Default none. */
    readonly customCss?: pulumi.Input<string>;
    /** Attributes Gatehouse manages (the stack's owner mark is added). Default none. */
    readonly attributes?: pulumi.Input<Attributes>;
}

/** An Authentik brand (`/core/brands/`), natural key: domain. */
export class Brand extends ByNameResource {
    /** Known in an update preview, as dependents need it (see pkFromId). */
    declare readonly pk: pulumi.Output<string>;
    declare readonly domain: pulumi.Output<string>;
    declare readonly default: pulumi.Output<boolean>;
    declare readonly title: pulumi.Output<string>;
    declare readonly logo: pulumi.Output<string>;
    declare readonly favicon: pulumi.Output<string>;
    declare readonly customCss: pulumi.Output<string>;

    constructor(name: string, args: BrandArgs, opts?: pulumi.CustomResourceOptions) {
        super(provider, name, { ...args, attributes: withOwner(args.attributes), pk: undefined }, opts, MODULE, "Brand");
        this.pk = pkFromId(this);
    }
}

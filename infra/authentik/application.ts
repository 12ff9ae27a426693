import * as pulumi from "@pulumi/pulumi";
import type { Application as RemoteApplication, ApplicationRequest, PatchedApplicationRequest } from "@goauthentik/api";
import { httpStatus } from "./core/errors";
import type { KindDefinition } from "./core/kind";
import { byName, ByNameResource } from "./core/by-name";
import { crudProvider } from "./core/provider";
import { MODULE, pkFromId, type AuthentikResourceArgs } from "./core/resource";

/** An application's managed fields. */
export interface ApplicationFields {
    /** Part of the issuer URL; the API addresses applications by slug, so a new slug means a new application. */
    readonly slug: string;
    readonly name: string;
    /** Provider pk. */
    readonly provider: number;
    /** Shown on the user's dashboard. */
    readonly metaLaunchUrl: string;
    readonly policyEngineMode: "all" | "any";
}

export const applicationKind: KindDefinition<ApplicationFields, RemoteApplication, PatchedApplicationRequest> = {
    kind: "application",
    keyField: "slug",
    keyApiField: "slug",
    fields: ["slug", "name", "provider", "metaLaunchUrl", "policyEngineMode"],
    replaceOnChange: ["slug"],
    // Authentik allows one application per provider: the old one must release it first.
    deleteBeforeReplace: true,
    normalize: (f) => ({
        slug: f.slug ?? "",
        name: f.name ?? f.slug ?? "",
        provider: f.provider ?? 0,
        metaLaunchUrl: f.metaLaunchUrl ?? "",
        policyEngineMode: f.policyEngineMode ?? "any",
    }),
    validate: (f) => (typeof f.provider !== "number" || f.provider <= 0 ? [{ property: "provider", reason: "an application needs its provider's pk" }] : []),
    observe: (r) => ({
        slug: r.slug,
        name: r.name,
        provider: r.provider ?? 0,
        metaLaunchUrl: r.metaLaunchUrl ?? "",
        policyEngineMode: r.policyEngineMode === "all" ? "all" : "any",
    }),
    request: (f) => ({
        ...(f.slug !== undefined && { slug: f.slug }),
        ...(f.name !== undefined && { name: f.name }),
        ...(f.provider !== undefined && { provider: f.provider }),
        ...(f.metaLaunchUrl !== undefined && { metaLaunchUrl: f.metaLaunchUrl }),
        ...(f.policyEngineMode !== undefined && { policyEngineMode: f.policyEngineMode }),
    }),
    computed: (r) => ({ pk: r.pk }),
    // The provider is ours (and holds one application at most): an application bound to it is the one we created.
    owns: (r, desired) => desired.provider > 0 && r.provider === desired.provider,
    api: {
        create: (apis, body) => apis.core.coreApplicationsCreate({ applicationRequest: body as ApplicationRequest }),
        retrieve: (apis, id) => apis.core.coreApplicationsRetrieve({ slug: id }),
        patch: (apis, id, body) => apis.core.coreApplicationsPartialUpdate({ slug: id, patchedApplicationRequest: body }),
        destroy: (apis, id) => apis.core.coreApplicationsDestroy({ slug: id }),
        // By slug directly: the list only shows applications the token's user may access.
        find: async (apis, key) => {
            try {
                return await apis.core.coreApplicationsRetrieve({ slug: key });
            } catch (error) {
                if (httpStatus(error) === 404) return undefined;
                throw error;
            }
        },
        // The pk, so dependents (policy bindings) know it in a preview; the API addresses applications by slug.
        id: (r) => r.pk,
        address: (id, f) => f.slug ?? id,
    },
};

const provider = byName("Application", crudProvider(applicationKind));

export interface ApplicationArgs extends AuthentikResourceArgs {
    readonly slug: pulumi.Input<string>;
    /** Display name. Default: the slug. */
    readonly name?: pulumi.Input<string>;
    /** OAuth2Provider pk. */
    readonly provider: pulumi.Input<number>;
    /** Default: none (Authentik derives one from the provider). */
    readonly metaLaunchUrl?: pulumi.Input<string>;
    /** Default `any`. */
    readonly policyEngineMode?: pulumi.Input<"all" | "any">;
}

/** An Authentik application (`/core/applications/<slug>/`), natural key: slug; id: its pk. */
export class Application extends ByNameResource {
    /** What policy bindings target; known in an update preview (see pkFromId). */
    declare readonly pk: pulumi.Output<string>;
    declare readonly slug: pulumi.Output<string>;
    declare readonly name: pulumi.Output<string>;
    declare readonly provider: pulumi.Output<number>;
    declare readonly metaLaunchUrl: pulumi.Output<string>;
    declare readonly policyEngineMode: pulumi.Output<string>;

    constructor(name: string, args: ApplicationArgs, opts?: pulumi.CustomResourceOptions) {
        super(provider, name, { ...args, pk: undefined }, opts, MODULE, "Application");
        // Stacks made while the id was the slug keep that id until `pulumi refresh` moves it to the pk; until then the
        // pk comes from state (known in a real update, unknown in an update preview).
        const recorded = this.pk;
        this.pk = pulumi.all([pkFromId(this), args.slug]).apply(([id, slug]): pulumi.Output<string> => (id === slug ? recorded : pulumi.output(id)));
    }
}

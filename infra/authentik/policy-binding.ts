import * as pulumi from "@pulumi/pulumi";
import type { PatchedPolicyBindingRequest, PolicyBinding as RemoteBinding, PolicyBindingRequest } from "@goauthentik/api";
import { findInPages, type KindDefinition } from "./core/kind";
import { byName, ByNameResource } from "./core/by-name";
import { crudProvider } from "./core/provider";
import { MODULE, pkFromId, type AuthentikResourceArgs } from "./core/resource";

/**
 * A group bound to a policy target (an application's pk): members of the group pass the target's policy engine.
 * With at least one binding, authentik refuses the application to everyone the bindings do not admit.
 */
export interface PolicyBindingFields {
    /** Group pk; part of the natural key with `target`. */
    readonly group: string;
    /** pk of the bound object (an application's `pk`, its policy binding model). */
    readonly target: string;
    readonly order: number;
    readonly negate: boolean;
    readonly enabled: boolean;
    /** Seconds. */
    readonly timeout: number;
    readonly failureResult: boolean;
}

export const policyBindingKind: KindDefinition<PolicyBindingFields, RemoteBinding, PatchedPolicyBindingRequest> = {
    kind: "policy binding",
    keyField: "group",
    keyApiField: "group",
    fields: ["group", "target", "order", "negate", "enabled", "timeout", "failureResult"],
    // A binding is its group and target: another group or target is another binding.
    replaceOnChange: ["group", "target"],
    normalize: (f) => ({
        group: f.group ?? "",
        target: f.target ?? "",
        order: f.order ?? 0,
        negate: f.negate ?? false,
        enabled: f.enabled ?? true,
        timeout: f.timeout ?? 30,
        failureResult: f.failureResult ?? false,
    }),
    validate: (f) => (f.target === "" ? [{ property: "target", reason: "a policy binding needs its target's pk" }] : []),
    observe: (r) => ({
        group: r.group ?? "",
        target: r.target,
        order: r.order,
        negate: r.negate ?? false,
        enabled: r.enabled ?? true,
        timeout: r.timeout ?? 30,
        failureResult: r.failureResult ?? false,
    }),
    // PolicyBindingSerializer.validate counts the binding types in the request itself and reads `target` from it, so
    // every write, a PATCH of the order alone included, carries the group and the target.
    request: (f, current) => ({
        group: f.group ?? current?.group ?? null,
        policy: null,
        user: null,
        target: f.target ?? current?.target ?? "",
        ...(f.order !== undefined && { order: f.order }),
        ...(f.negate !== undefined && { negate: f.negate }),
        ...(f.enabled !== undefined && { enabled: f.enabled }),
        ...(f.timeout !== undefined && { timeout: f.timeout }),
        ...(f.failureResult !== undefined && { failureResult: f.failureResult }),
    }),
    computed: (r) => ({ pk: r.pk }),
    // The target is ours (an application this stack created): a binding of the same group to it is the one we made.
    owns: (r, desired) => desired.target !== "" && r.target === desired.target && r.group === desired.group,
    api: {
        create: (apis, body) => apis.policies.policiesBindingsCreate({ policyBindingRequest: body as PolicyBindingRequest }),
        retrieve: (apis, id) => apis.policies.policiesBindingsRetrieve({ policyBindingUuid: id }),
        patch: (apis, id, body) => apis.policies.policiesBindingsPartialUpdate({ policyBindingUuid: id, patchedPolicyBindingRequest: body }),
        destroy: (apis, id) => apis.policies.policiesBindingsDestroy({ policyBindingUuid: id }),
        find: (apis, group, desired) =>
            findInPages((page) => apis.policies.policiesBindingsList({ target: desired.target, page }), (b) => b.group === group && b.target === desired.target),
        id: (r) => r.pk,
    },
};

const provider = byName("PolicyBinding", crudProvider(policyBindingKind));

export interface PolicyBindingArgs extends AuthentikResourceArgs {
    /** Group pk. */
    readonly group: pulumi.Input<string>;
    /** The target's pk (an Application's `pk`). */
    readonly target: pulumi.Input<string>;
    /** Evaluation order. Default 0. */
    readonly order?: pulumi.Input<number>;
    /** Default false. */
    readonly negate?: pulumi.Input<boolean>;
    /** Default true. */
    readonly enabled?: pulumi.Input<boolean>;
    /** Seconds; default 30. */
    readonly timeout?: pulumi.Input<number>;
    /** Result when evaluation fails; default false (deny). */
    readonly failureResult?: pulumi.Input<boolean>;
}

/** A group's policy binding (`/policies/bindings/`); natural key: group and target. */
export class PolicyBinding extends ByNameResource {
    /** Known in an update preview, as dependents need it (see pkFromId). */
    declare readonly pk: pulumi.Output<string>;
    declare readonly group: pulumi.Output<string>;
    declare readonly target: pulumi.Output<string>;
    declare readonly order: pulumi.Output<number>;

    constructor(name: string, args: PolicyBindingArgs, opts?: pulumi.CustomResourceOptions) {
        super(provider, name, { ...args, pk: undefined }, opts, MODULE, "PolicyBinding");
        this.pk = pkFromId(this);
    }
}

import * as pulumi from "@pulumi/pulumi";
import type { Group as RemoteGroup, GroupRequest, PatchedGroupRequest } from "@goauthentik/api";
import { inDesiredOrder, mergeAttributes, observeAttributes, ownedBy, ownerMarkOf, withoutOwnerMark, type Attributes } from "./core/compare";
import { findInPages, type KindDefinition } from "./core/kind";
import { byName, ByNameResource } from "./core/by-name";
import { crudProvider } from "./core/provider";
import { MODULE, pkFromId, withOwner, type AuthentikResourceArgs } from "./core/resource";

/** A group's managed fields. Membership is managed from the user side (User.groups), never here. */
export interface GroupFields {
    readonly name: string;
    readonly isSuperuser: boolean;
    /** Parent group pks. */
    readonly parents: string[];
    /** Only these keys are managed; keys set by others are kept. */
    readonly attributes: Attributes;
}

export const groupKind: KindDefinition<GroupFields, RemoteGroup, PatchedGroupRequest> = {
    kind: "group",
    keyField: "name",
    keyApiField: "name",
    fields: ["name", "isSuperuser", "parents", "attributes"],
    setFields: ["parents"],
    normalize: (f) => ({ name: f.name ?? "", isSuperuser: f.isSuperuser ?? false, parents: f.parents ?? [], attributes: f.attributes ?? {} }),
    observe: (r, desired, previous) => ({
        name: r.name,
        isSuperuser: r.isSuperuser ?? false,
        parents: inDesiredOrder(r.parents ?? [], desired.parents),
        attributes: observeAttributes(r.attributes, desired.attributes, previous?.attributes),
    }),
    request: (f, current, previous) => ({
        ...(f.name !== undefined && { name: f.name }),
        ...(f.isSuperuser !== undefined && { isSuperuser: f.isSuperuser }),
        ...(f.parents !== undefined && { parents: f.parents }),
        ...(f.attributes !== undefined && { attributes: mergeAttributes(current?.attributes, f.attributes, previous?.attributes) }),
    }),
    computed: (r) => ({ pk: r.pk, numPk: r.numPk }),
    owns: (r, desired) => ownedBy(r.attributes, desired.attributes),
    ownerMark: (r) => ownerMarkOf(r.attributes),
    releaseRequest: (r) => ({ attributes: withoutOwnerMark(r.attributes) }),
    api: {
        create: (apis, body) => apis.core.coreGroupsCreate({ groupRequest: body as GroupRequest }),
        retrieve: (apis, id) => apis.core.coreGroupsRetrieve({ groupUuid: id, includeUsers: false }),
        patch: (apis, id, body) => apis.core.coreGroupsPartialUpdate({ groupUuid: id, patchedGroupRequest: body }),
        destroy: (apis, id) => apis.core.coreGroupsDestroy({ groupUuid: id }),
        find: (apis, key) => findInPages((page) => apis.core.coreGroupsList({ name: key, includeUsers: false, page }), (g) => g.name === key),
        id: (r) => r.pk,
    },
};

const provider = byName("Group", crudProvider(groupKind));

export interface GroupArgs extends AuthentikResourceArgs {
    readonly name: pulumi.Input<string>;
    /** Members become Authentik superusers. Default false. */
    readonly isSuperuser?: pulumi.Input<boolean>;
    /** Parent group pks. Default none. */
    readonly parents?: pulumi.Input<pulumi.Input<string>[]>;
    /** Attributes Gatehouse manages (the stack's owner mark is added). Default none. */
    readonly attributes?: pulumi.Input<Attributes>;
}

/** An Authentik group (`/core/groups/`), natural key: name. */
export class Group extends ByNameResource {
    /** The group's uuid; what users and parents refer to; known in an update preview (see pkFromId). */
    declare readonly pk: pulumi.Output<string>;
    declare readonly numPk: pulumi.Output<number>;
    declare readonly name: pulumi.Output<string>;
    declare readonly isSuperuser: pulumi.Output<boolean>;
    declare readonly parents: pulumi.Output<string[]>;
    declare readonly attributes: pulumi.Output<Attributes>;

    constructor(name: string, args: GroupArgs, opts?: pulumi.CustomResourceOptions) {
        super(provider, name, { ...args, attributes: withOwner(args.attributes), pk: undefined, numPk: undefined }, opts, MODULE, "Group");
        this.pk = pkFromId(this);
    }
}

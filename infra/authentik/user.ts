import * as pulumi from "@pulumi/pulumi";
import type { PatchedUserRequest, User as RemoteUser, UserRequest } from "@goauthentik/api";
import { inDesiredOrder, mergeAttributes, observeAttributes, ownedBy, ownerMarkOf, withoutOwnerMark, type Attributes } from "./core/compare";
import { findInPages, type CheckFailure, type KindDefinition } from "./core/kind";
import { byName, ByNameResource } from "./core/by-name";
import { crudProvider } from "./core/provider";
import { MODULE, pkFromId, withOwner, type AuthentikResourceArgs } from "./core/resource";

/** User types Gatehouse may set; `internal_service_account` belongs to Authentik itself. */
export type UserType = "internal" | "external" | "service_account";

/** A user's managed fields. */
export interface UserFields {
    readonly username: string;
    readonly name: string;
    readonly email: string;
    /** Directory path, e.g. `users` or `users/test`. */
    readonly path: string;
    readonly type: UserType;
    readonly isActive: boolean;
    /** Group pks: the user's memberships, all of them managed here. */
    readonly groups: string[];
    readonly attributes: Attributes;
    /** Write-only and secret: set through `set_password` on create and whenever it changes. */
    readonly password?: string;
}

export const userKind: KindDefinition<UserFields, RemoteUser, PatchedUserRequest> = {
    kind: "user",
    keyField: "username",
    keyApiField: "username",
    fields: ["username", "name", "email", "path", "type", "isActive", "groups", "attributes", "password"],
    setFields: ["groups"],
    writeOnly: ["password"],
    secretFields: ["password"],
    normalize: (f) => ({
        username: f.username ?? "",
        name: f.name ?? "",
        email: f.email ?? "",
        path: f.path ?? "users",
        type: f.type ?? "internal",
        isActive: f.isActive ?? true,
        groups: f.groups ?? [],
        attributes: f.attributes ?? {},
        ...(f.password !== undefined && { password: f.password }),
    }),
    validate: (f) => {
        const failures: CheckFailure[] = [];
        if (!["internal", "external", "service_account"].includes(f.type)) {
            failures.push({ property: "type", reason: "expected internal, external or service_account" });
        }
        if (f.path === "" || f.path.startsWith("/") || f.path.endsWith("/") || f.path.includes("//")) {
            failures.push({ property: "path", reason: "expected a path such as users or users/test (no leading, trailing or empty segments)" });
        }
        if (f.password === "") failures.push({ property: "password", reason: "must not be empty (leave it unset to manage no password)" });
        return failures;
    },
    observe: (r, desired, previous) => ({
        username: r.username,
        name: r.name,
        email: r.email ?? "",
        path: r.path ?? "",
        type: (r.type ?? "internal") as UserType,
        isActive: r.isActive ?? true,
        groups: inDesiredOrder(r.groups ?? [], desired.groups),
        attributes: observeAttributes(r.attributes, desired.attributes, previous?.attributes),
        // Authentik never returns it: what the stack set last is what the state says.
        ...(desired.password !== undefined && { password: desired.password }),
    }),
    request: (f, current, previous) => ({
        ...(f.username !== undefined && { username: f.username }),
        ...(f.name !== undefined && { name: f.name }),
        ...(f.email !== undefined && { email: f.email }),
        ...(f.path !== undefined && { path: f.path }),
        ...(f.type !== undefined && { type: f.type }),
        ...(f.isActive !== undefined && { isActive: f.isActive }),
        ...(f.groups !== undefined && { groups: f.groups }),
        ...(f.attributes !== undefined && { attributes: mergeAttributes(current?.attributes, f.attributes, previous?.attributes) }),
    }),
    computed: (r) => ({ pk: r.pk, uuid: r.uuid }),
    owns: (r, desired) => ownedBy(r.attributes, desired.attributes),
    ownerMark: (r) => ownerMarkOf(r.attributes),
    releaseRequest: (r) => ({ attributes: withoutOwnerMark(r.attributes) }),
    afterWrite: async (apis, id, desired, previous) => {
        if (desired.password === undefined || desired.password === previous?.password) return;
        await apis.core.coreUsersSetPasswordCreate({ id: Number(id), userPasswordSetRequest: { password: desired.password } });
    },
    api: {
        create: (apis, body) => apis.core.coreUsersCreate({ userRequest: body as UserRequest }),
        retrieve: (apis, id) => apis.core.coreUsersRetrieve({ id: Number(id) }),
        patch: (apis, id, body) => apis.core.coreUsersPartialUpdate({ id: Number(id), patchedUserRequest: body }),
        destroy: (apis, id) => apis.core.coreUsersDestroy({ id: Number(id) }),
        find: (apis, key) => findInPages((page) => apis.core.coreUsersList({ username: key, includeGroups: false, page }), (u) => u.username === key),
        id: (r) => String(r.pk),
    },
};

const provider = byName("User", crudProvider(userKind));

export interface UserArgs extends AuthentikResourceArgs {
    readonly username: pulumi.Input<string>;
    /** Display name. */
    readonly name: pulumi.Input<string>;
    /** Default empty. */
    readonly email?: pulumi.Input<string>;
    /** Default `users`. */
    readonly path?: pulumi.Input<string>;
    /** Default `internal`. */
    readonly type?: pulumi.Input<UserType>;
    /** Default true. */
    readonly isActive?: pulumi.Input<boolean>;
    /** Group pks. Default none. */
    readonly groups?: pulumi.Input<pulumi.Input<string>[]>;
    /** Attributes Gatehouse manages (the stack's owner mark is added). Default none. */
    readonly attributes?: pulumi.Input<Attributes>;
    /** Secret. Set on create and whenever it changes. Default: no password managed. */
    readonly password?: pulumi.Input<string>;
}

/** An Authentik user (`/core/users/`), natural key: username. The password is secret in state. */
export class User extends ByNameResource {
    /** Known in an update preview, as dependents need it (see pkFromId). */
    declare readonly pk: pulumi.Output<number>;
    declare readonly uuid: pulumi.Output<string>;
    declare readonly username: pulumi.Output<string>;
    declare readonly name: pulumi.Output<string>;
    declare readonly email: pulumi.Output<string>;
    declare readonly groups: pulumi.Output<string[]>;
    declare readonly password: pulumi.Output<string | undefined>;

    constructor(name: string, args: UserArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            provider,
            name,
            {
                ...args,
                attributes: withOwner(args.attributes),
                ...(args.password !== undefined && { password: pulumi.secret(args.password) }),
                pk: undefined,
                uuid: undefined,
            },
            pulumi.mergeOptions(opts, { additionalSecretOutputs: ["password"] }),
            MODULE,
            "User",
        );
        this.pk = pkFromId(this).apply(Number);
    }
}

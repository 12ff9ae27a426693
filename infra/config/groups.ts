import { ROLE_GROUPS } from "./constants";

/** Group names by role (`admins`, …, `org-<short>`): `<prefix>-<role>`. */
export function groupNames(prefix: string, orgs: readonly string[]): Record<string, string> {
    const roles = [...ROLE_GROUPS, ...orgs.map((org) => `org-${org}`)];
    return Object.fromEntries(roles.map((role) => [role, `${prefix}-${role}`]));
}

/** The role a group reference names: a role (`admins`, `org-ACR`) or a full group name (`acme-admins`). */
export function roleOf(ref: string, names: Readonly<Record<string, string>>): string | undefined {
    if (Object.hasOwn(names, ref)) return ref;
    return Object.entries(names).find(([, name]) => name === ref)?.[0];
}

/** What a reference may name, for messages: the roles, then the full names. */
export function validGroupRefs(names: Readonly<Record<string, string>>): string {
    return `${Object.keys(names).join(", ")} (or the full names ${Object.values(names).join(", ")})`;
}

/** A test user's group references as roles; an unknown one fails listing the valid names. */
export function resolveUserGroups(username: string, refs: readonly string[], names: Readonly<Record<string, string>>): string[] {
    return refs.map((ref) => {
        const role = roleOf(ref, names);
        if (role !== undefined) return role;
        throw new Error(`authentik.testUsers: user "${username}" names unknown group "${ref}"; expected one of: ${validGroupRefs(names)}`);
    });
}

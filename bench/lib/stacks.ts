import { ROLE_GROUPS } from "../../infra/config/constants";
import type { StackSettings } from "../../scripts/lib/pulumi-cli";

/** Where the bench's throwaway services are. */
export interface Services {
    readonly postgres: { readonly host: string; readonly port: number; readonly user: string; readonly password: string };
    readonly authentik: { readonly url: string; readonly token: string };
}

/** The size of one Gatehouse stack: test users spread over `groups` groups (the role groups included). */
export interface StackSize {
    readonly users: number;
    readonly groups: number;
}

/** The full test stack: a few test users, as Pulumi.test.yaml has. */
export const FULL_STACK: StackSize = { users: 3, groups: ROLE_GROUPS.length + 1 };

/** Organisation short names for `groups` groups in all: the role groups come with every stack. */
export function orgsFor(groups: number): string[] {
    const orgs = Math.max(0, groups - ROLE_GROUPS.length);
    return Array.from({ length: orgs }, (_, i) => `O${String(i + 1).padStart(3, "0")}`);
}

/** Test users, each in one role group and one organisation group (round robin), so every group has members. */
export function testUsersFor(size: StackSize): { username: string; name: string; email: string; groups: string[] }[] {
    const orgs = orgsFor(size.groups);
    const roles = ["admins", "editors", "viewers"];
    return Array.from({ length: size.users }, (_, i) => {
        const username = `user${String(i + 1).padStart(4, "0")}`;
        const groups = [roles[i % roles.length]!, ...(orgs.length > 0 ? [`org-${orgs[i % orgs.length]!}`] : [])];
        return { username, name: `Bench User ${i + 1}`, email: `${username}@bench.test`, groups };
    });
}

/**
 * Stack settings for one size (`app` names its databases, roles and Authentik objects, so sizes never collide).
 * Passwords are generated (derived from one RandomPassword), as a stack without `testUserPassword` has them.
 */
export function stackSettings(app: string, size: StackSize, services: Services): StackSettings {
    return {
        environment: "test",
        app: { name: app, publicUrl: "http://localhost:5000" },
        postgres: {
            host: services.postgres.host,
            port: services.postgres.port,
            adminUser: services.postgres.user,
            databases: { authentik: `authentik_${app}` },
            roles: { authentik: `authentik_${app}` },
        },
        authentik: { url: services.authentik.url, groups: { orgs: orgsFor(size.groups) }, testUsers: testUsersFor(size) },
    };
}

export function stackSecrets(services: Services): Record<string, string> {
    return { "postgres.adminPassword": services.postgres.password, "authentik.token": services.authentik.token };
}

import * as pulumi from "@pulumi/pulumi";
import { ROLE_GROUPS } from "../config/constants";
import { groupNames, resolveUserGroups } from "../config/groups";
import type { StatefulOptions } from "../config/schema";
import { Brand } from "./brand";
import { BRANDING_DIR, type BrandingAsset } from "./branding";
import { Group } from "./group";
import { MediaFile } from "./media-file";
import { brandImageName, readBrand, testUserPath, TEST_USER_TYPE, type BrandFiles } from "./objects";
import { User } from "./user";

export { ROLE_GROUPS, groupNames, resolveUserGroups };

export interface BrandSettings {
    /** Domain that activates the brand (`authentik.brand.domain`, default: the host of the Authentik URL). */
    readonly domain: string;
    /** Default: Authentik's. */
    readonly title?: string;
    /** A file in the branding directory, an http(s) URL or a `/static/…` path. Default: Authentik's. */
    readonly logo?: string;
    readonly favicon?: string;
    /** A CSS file in the branding directory. Default: none. */
    readonly css?: string;
    /** Whether this is the brand for every domain no other brand matches. */
    readonly default: boolean;
}

export interface TestUserSettings {
    readonly username: string;
    readonly name: string;
    readonly email: string;
    /** Role suffixes (`admins`, `org-ACR`) or full group names of this directory. */
    readonly groups: readonly string[];
    /** Secret. */
    readonly password: pulumi.Input<string>;
}

export interface AuthentikDirectoryArgs {
    /** Base URL of Authentik (`authentik.url`); an Output works too (see AuthentikOidcAppArgs.url). */
    readonly url: pulumi.Input<string>;
    /** The API token when it is not the stack's `authentik.token` (the runtime's bootstrap token); a secret. */
    readonly token?: pulumi.Input<string>;
    /** Take over existing objects with the same names (`authentik.adopt`). Default false. */
    readonly adopt?: boolean;
    /**
     * The brand's files already lie in Authentik's media storage under their names (the local runtime mounts them
     * there), so none is uploaded. Default false.
     */
    readonly brandFilesMounted?: boolean;
    /** Prefix of every group name (`names.groupPrefix`). */
    readonly groupPrefix: string;
    /** Organisation short names (`authentik.groups.orgs`): one `<prefix>-org-<short>` group each. */
    readonly orgs: readonly string[];
    /** The brand, if any (`authentik.brand`). */
    readonly brand?: BrandSettings;
    /** Where brand files are read from. Default: the repository's `branding/`. */
    readonly brandingDir?: string;
    /** Seeded users (`authentik.testUsers`; the schema refuses them outside local/dev/test). Default none. */
    readonly testUsers?: readonly TestUserSettings[];
    /** Whether destroy may delete the groups, whose members are added in Authentik's UI (`config.stateful`). Default: it may. */
    readonly stateful?: StatefulOptions;
}

/** Refuses args that cannot make a directory; runs before any child is declared. */
export function validateDirectoryArgs(args: AuthentikDirectoryArgs): void {
    const names = groupNames(args.groupPrefix, args.orgs);
    const seen = new Set<string>();
    for (const user of args.testUsers ?? []) {
        if (seen.has(user.username)) throw new Error(`authentik.testUsers: user "${user.username}" is listed twice`);
        seen.add(user.username);
        resolveUserGroups(user.username, user.groups, names);
    }
}

/**
 * The directory side of one app in Authentik: its role and organisation groups, its brand (title, logo and favicon,
 * custom CSS from `branding/`), and seeded test users with their groups and passwords.
 */
export class AuthentikDirectory extends pulumi.ComponentResource {
    /** Group pk by role (`admins`, …, `org-<short>`). */
    readonly groups: Readonly<Record<string, pulumi.Output<string>>>;
    /** Group name by role. */
    readonly groupNames: Readonly<Record<string, string>>;
    readonly brandPk?: pulumi.Output<string>;
    /** User pk by username. */
    readonly testUsers: Readonly<Record<string, pulumi.Output<number>>>;

    constructor(name: string, args: AuthentikDirectoryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("gatehouse:authentik:AuthentikDirectory", name, {}, opts);
        validateDirectoryArgs(args);
        // Brand files are read before any child is declared: a missing file declares nothing.
        const brand = args.brand !== undefined ? readBrand(args.brand, args.brandingDir ?? BRANDING_DIR, args.groupPrefix) : undefined;
        const parent = { parent: this };
        const common = { url: args.url, adopt: args.adopt ?? false, ...(args.token !== undefined && { token: pulumi.secret(args.token) }) };

        this.groupNames = groupNames(args.groupPrefix, args.orgs);
        const groups = Object.fromEntries(
            Object.entries(this.groupNames).map(([role, groupName]) => [
                role,
                new Group(`${name}-group-${role}`, { ...common, name: groupName }, { ...parent, protect: args.stateful?.protect, retainOnDelete: args.stateful?.retainOnDelete }),
            ]),
        );
        this.groups = Object.fromEntries(Object.entries(groups).map(([role, group]) => [role, group.pk]));

        if (args.brand !== undefined && brand !== undefined) {
            this.brandPk = createBrand(this, name, args, args.brand, brand).pk;
        }

        this.testUsers = Object.fromEntries(
            (args.testUsers ?? []).map((user) => {
                const roles = resolveUserGroups(user.username, user.groups, this.groupNames);
                const created = new User(
                    `${name}-user-${user.username}`,
                    {
                        ...common,
                        username: user.username,
                        name: user.name,
                        email: user.email,
                        path: testUserPath(args.groupPrefix),
                        type: TEST_USER_TYPE,
                        groups: roles.map((role) => groups[role]!.pk),
                        password: user.password,
                    },
                    parent,
                );
                return [user.username, created.pk];
            }),
        );

        this.registerOutputs({ groups: this.groups, brandPk: this.brandPk, testUsers: this.testUsers });
    }
}

/** The brand and the media files its logo and favicon need. */
function createBrand(parent: pulumi.Resource, name: string, args: AuthentikDirectoryArgs, brand: BrandSettings, files: BrandFiles): Brand {
    const image = (what: "logo" | "favicon", asset: BrandingAsset | undefined): pulumi.Input<string> | undefined => {
        if (asset === undefined) return undefined;
        if (asset.kind === "reference" || args.brandFilesMounted === true) return brandImageName(asset);
        const token = args.token === undefined ? {} : { token: pulumi.secret(args.token) };
        return new MediaFile(`${name}-brand-${what}`, { url: args.url, name: asset.name, content: asset.content, mimeType: asset.mimeType, ...token }, { parent }).name;
    };
    return new Brand(
        `${name}-brand`,
        {
            url: args.url,
            adopt: args.adopt ?? false,
            ...(args.token !== undefined && { token: pulumi.secret(args.token) }),
            domain: brand.domain,
            default: brand.default,
            title: brand.title,
            logo: image("logo", files.logo),
            favicon: image("favicon", files.favicon),
            customCss: files.css,
        },
        { parent },
    );
}

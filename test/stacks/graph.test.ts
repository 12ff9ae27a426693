import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { recordResources, settle, settled, type RecordedResource } from "../harness/mocks";
import { readStackFile, withRequiredSecrets } from "../config/stack-file";

const recorded: RecordedResource[] = recordResources();
let outputs: import("../../stacks/build").StackOutputs;

/** Resource options as declared (mocks do not see them; a stack transformation does), by resource name. */
const options = new Map<string, { type: string; opts: pulumi.CustomResourceOptions }>();

beforeAll(async () => {
    // Import after mocks are set, as Pulumi's mock testing requires.
    const { parseStackConfig } = await import("../../infra/config/parse");
    const { buildStack } = await import("../../stacks/build");
    const { runInPulumiStack } = (await import("@pulumi/pulumi/runtime/stack")) as { runInPulumiStack(init: () => Promise<unknown>): Promise<unknown> };
    const cfg = withRequiredSecrets(readStackFile(join(__dirname, "..", "..", "Pulumi.dev.yaml")));
    // Inside a root stack, as under `pulumi up`, so a stack transformation can record every resource's options.
    await runInPulumiStack(async () => {
        pulumi.runtime.registerStackTransformation((args) => {
            options.set(args.name, { type: args.type, opts: args.opts });
            return undefined;
        });
        outputs = buildStack(parseStackConfig(cfg.raw, { stack: "dev", secretPaths: cfg.secretPaths }));
    });
    await settle(outputs.database.url);
    await settled(recorded);
});

const ofType = (type: string) => recorded.filter((r) => r.type === type);
const named = (name: string) => {
    const found = recorded.find((r) => r.name === name);
    if (!found) throw new Error(`no resource named ${name}; have ${recorded.map((r) => r.name).join(", ")}`);
    return found;
};

describe("the dynamic resources' provider", () => {
    it("is the stack's own, for every dynamic resource, configured with the Authentik settings alone (not the stack's whole config)", () => {
        const providers = ofType("pulumi:providers:pulumi-nodejs");
        expect(providers.map((r) => r.name)).toEqual(["gatehouse-dynamic"]);
        expect(Object.keys(providers[0]!.inputs).filter((key) => key !== "gatehouse:authentik")).toEqual([]);
        const dynamic = recorded.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"));
        expect(dynamic.length).toBeGreaterThan(10);
        expect(dynamic.filter((r) => !r.provider?.includes("pulumi:providers:pulumi-nodejs::gatehouse-dynamic::")).map((r) => r.name)).toEqual([]);
    });
});

describe("PostgreSQL graph for dev", () => {
    it("declares the app and Authentik databases, owned by the owner and Authentik roles", () => {
        const dbs = ofType("postgresql:index/database:Database").map((r) => [r.inputs.name, r.inputs.owner, r.inputs.encoding]);
        expect(dbs).toEqual([
            ["acme_dev", "acme_dev_owner", "UTF8"],
            ["authentik_dev", "authentik_dev", "UTF8"],
        ]);
    });

    it("makes the runtime role a plain login role that RLS applies to", () => {
        const app = named("gatehouse-postgres-app").inputs;
        expect(app).toMatchObject({
            name: "acme_dev_app",
            login: true,
            superuser: false,
            createDatabase: false,
            createRole: false,
            bypassRowLevelSecurity: false,
        });
    });

    it("gives the runtime role data access and default privileges on what the owner creates later", () => {
        const grants = ofType("postgresql:index/grant:Grant")
            .filter((g) => g.inputs.role === "acme_dev_app")
            .map((g) => [g.inputs.objectType, g.inputs.privileges]);
        // Registration order under mocks follows output resolution, not declaration: compare as sets.
        expect(grants).toHaveLength(4);
        expect(grants).toEqual(
            expect.arrayContaining([
                ["database", ["CONNECT"]],
                ["schema", ["USAGE"]],
                ["table", ["SELECT", "INSERT", "UPDATE", "DELETE"]],
                ["sequence", ["USAGE", "SELECT"]],
            ]),
        );
        const defaults = ofType("postgresql:index/defaultPrivileges:DefaultPrivileges").map((d) => [d.inputs.owner, d.inputs.role, d.inputs.objectType]);
        expect(defaults).toHaveLength(2);
        expect(defaults).toEqual(
            expect.arrayContaining([
                ["acme_dev_owner", "acme_dev_app", "table"],
                ["acme_dev_owner", "acme_dev_app", "sequence"],
            ]),
        );
    });

    it("closes both databases to PUBLIC", () => {
        const revoked = ofType("postgresql:index/grant:Grant")
            .filter((g) => g.inputs.role === "public" && g.inputs.objectType === "database")
            .map((g) => [g.inputs.database, g.inputs.privileges]);
        expect(revoked).toEqual([
            ["acme_dev", []],
            ["authentik_dev", []],
        ]);
    });

    it("gives every role its own generated password", () => {
        const passwords = ofType("postgresql:index/role:Role").map((r) => r.inputs.password);
        expect(new Set(passwords).size).toBe(3);
        expect(passwords).toEqual([
            "generated-gatehouse-secrets-db-owner-password",
            "generated-gatehouse-secrets-db-app-password",
            "generated-gatehouse-secrets-db-authentik-password",
        ]);
    });

    it("ties each secret's keepers to its rotation counter", () => {
        const keepers = ofType("random:index/randomPassword:RandomPassword").map((r) => r.inputs.keepers);
        expect(keepers.length).toBeGreaterThanOrEqual(7);
        for (const k of keepers) expect(k).toEqual({ rotation: "0" });
    });
});

describe("safety of the dev graph", () => {
    const optsOf = (name: string) => {
        const found = options.get(name);
        if (!found) throw new Error(`no options recorded for ${name}`);
        return found.opts;
    };
    const dependsOnNames = async (name: string) => {
        const deps = (optsOf(name).dependsOn ?? []) as pulumi.Resource[];
        return Promise.all([deps].flat().map((d) => settle(d.urn).then((u) => u.value.slice(u.value.lastIndexOf("::") + 2))));
    };

    it("chains every grant of a database one after the other, so none runs concurrently with another", async () => {
        const chain = [
            "gatehouse-postgres-app-db-revoke-public-connect",
            "gatehouse-postgres-app-db-revoke-public-schema",
            "gatehouse-postgres-app-connect",
            "gatehouse-postgres-app-schema-usage",
            "gatehouse-postgres-app-tables",
            "gatehouse-postgres-app-sequences",
            "gatehouse-postgres-app-default-tables",
            "gatehouse-postgres-app-default-sequences",
        ];
        expect(await dependsOnNames(chain[0]!)).toEqual([]);
        for (let i = 1; i < chain.length; i++) expect(await dependsOnNames(chain[i]!), chain[i]).toEqual([chain[i - 1]]);
        expect(await dependsOnNames("gatehouse-postgres-authentik-db-revoke-public-schema")).toEqual(["gatehouse-postgres-authentik-db-revoke-public-connect"]);
    });

    it("keeps grants on delete (a rename must not REVOKE from a name that is gone), databases and roles too outside local and test", () => {
        for (const [name, { type, opts }] of options) {
            if (type === "postgresql:index/grant:Grant" || type === "postgresql:index/defaultPrivileges:DefaultPrivileges") expect(opts.retainOnDelete, name).toBe(true);
        }
        for (const name of ["gatehouse-postgres-app-db", "gatehouse-postgres-authentik-db", "gatehouse-postgres-owner", "gatehouse-postgres-app", "gatehouse-postgres-authentik"]) {
            expect(optsOf(name), name).toMatchObject({ retainOnDelete: true, protect: false });
        }
        for (const role of ["admins", "org-ACR"]) expect(optsOf(`gatehouse-directory-group-${role}`)).toMatchObject({ retainOnDelete: true, protect: false });
    });

    it("names resources without the environment, aliased to the names stacks made before have", () => {
        for (const component of ["secrets", "postgres", "oidc", "directory", "handoff"]) {
            expect(optsOf(`gatehouse-${component}`).aliases, component).toEqual([{ name: `gatehouse-dev-${component}` }]);
        }
        expect(recorded.some((r) => r.name.includes("-dev-"))).toBe(false);
    });
});

describe("outputs", () => {
    it("exports database URLs as secrets", async () => {
        const url = await settle(outputs.database.url);
        const appUrl = await settle(outputs.database.appUrl);
        expect(url.secret).toBe(true);
        expect(appUrl.secret).toBe(true);
        expect(url.value).toBe("postgresql://acme_dev_owner:generated-gatehouse-secrets-db-owner-password@localhost:5432/acme_dev?sslmode=disable");
        expect(appUrl.value).toMatch(/^postgresql:\/\/acme_dev_app:generated-gatehouse-secrets-db-app-password@localhost:5432\/acme_dev\?/);
    });

    it("exports Authentik's database password, secret key and bootstrap token as secrets", async () => {
        for (const name of ["AUTHENTIK_POSTGRESQL__PASSWORD", "AUTHENTIK_SECRET_KEY", "AUTHENTIK_BOOTSTRAP_TOKEN"]) {
            const value = await settle(outputs.authentikEnv[name]!);
            expect(value.secret, name).toBe(true);
        }
    });

    it("generates each secret at least as long as its use requires", () => {
        const length = (secret: string) => named(`gatehouse-secrets-${secret}`).inputs.length as number;
        expect(length("app-secret-key")).toBeGreaterThanOrEqual(60);
        expect(length("authentik-secret-key")).toBeGreaterThanOrEqual(60);
        expect(length("oidc-client-secret")).toBeGreaterThanOrEqual(64);
        for (const role of ["owner", "app", "authentik"]) expect(length(`db-${role}-password`)).toBeGreaterThanOrEqual(32);
        // The client secret lands in URLs and .env files unquoted: letters and digits only.
        expect(named("gatehouse-secrets-oidc-client-secret").inputs.special).toBe(false);
    });

    it("exports each generated test-user password as a secret, so developers can log in", async () => {
        expect(Object.keys(outputs.testUserPasswords)).toEqual(["alice", "eddie", "victor"]);
        for (const [user, output] of Object.entries(outputs.testUserPasswords)) expect((await settle(output)).secret, user).toBe(true);
    });

    it("exports the app's environment with every credential secret and the rest plain", async () => {
        const secret = new Set(["OIDC_CLIENT_SECRET", "SECRET_KEY", "DATABASE_URL", "DATABASE_URL_APP"]);
        for (const [name, output] of Object.entries(outputs.appEnv)) {
            expect((await settle(output)).secret, name).toBe(secret.has(name));
        }
        expect((await settle(outputs.appEnv.OIDC_REDIRECT_URI!)).value).toBe("http://localhost:5000/oauth/callback");
        expect((await settle(outputs.oidc.clientSecret)).secret).toBe(true);
    });
});

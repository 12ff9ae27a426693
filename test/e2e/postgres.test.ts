import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../testbed/authentik";
import { injectedPostgres, injectedTls } from "../harness/injected";
import { query } from "../harness/pg-client";
import { PulumiStack } from "../../scripts/lib/pulumi-cli";

/**
 * Issue #5's proof on the real PostgreSQL 18 test bed, through the real engine: the app role is bound by Row Level
 * Security and can do nothing beyond data access; roles cannot cross into each other's databases; a second up is a
 * no-op; destroy removes exactly what Gatehouse created.
 */
let emulator: Emulator;
beforeAll(async () => {
    // https and a prod-length token: the qa stack below must pass qa's schema (issue #13).
    emulator = await startEmulator({ token: "pg-e2e-token-long-enough-for-qa-stacks", tls: injectedTls() });
});
afterAll(async () => {
    await emulator?.stop();
});

describe("PostgreSQL: owner and RLS-bound app role, end to end", () => {
    const server = injectedPostgres();
    let stack: PulumiStack;
    let ownerUrl: string;
    let appUrl: string;
    let authentik: Record<string, string>;

    const settings = () => ({
        environment: "qa",
        app: { name: "rls", publicUrl: "https://rls.example" },
        // A throwaway qa-like stack: this test checks that destroy removes exactly what it made.
        safety: { protect: false, retainOnDelete: false },
        postgres: { host: server.host, port: server.port, adminUser: server.user, sslMode: "verify-full" },
        authentik: { url: emulator.url },
    });

    beforeAll(async () => {
        await query(server, "create database bystander");
        stack = await PulumiStack.create("pg", settings(), { "postgres.adminPassword": server.password, "authentik.token": emulator.token });
        await stack.up();
        const outputs = await stack.outputs(true);
        ({ url: ownerUrl, appUrl } = outputs.database as { url: string; appUrl: string });
        authentik = outputs.authentikDatabase as Record<string, string>;
    });

    afterAll(async () => {
        await stack?.remove();
        await query(server, "drop database if exists bystander");
    });

    /** A connection from a URL in the stack's outputs, optionally to another database. */
    async function connect(url: string, database?: string): Promise<pg.Client> {
        const u = new URL(url);
        const client = new pg.Client({
            host: u.hostname,
            port: Number(u.port),
            user: decodeURIComponent(u.username),
            password: decodeURIComponent(u.password),
            database: database ?? u.pathname.slice(1),
        });
        await client.connect();
        return client;
    }

    async function asApp<T>(userId: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
        const client = await connect(appUrl);
        try {
            await client.query("select set_config('app.current_user_id', $1, false)", [userId]);
            return await work(client);
        } finally {
            await client.end();
        }
    }

    it("lets the owner run a migration that creates a table with an RLS policy", async () => {
        const owner = await connect(ownerUrl);
        try {
            await owner.query(`
                create table notes (id serial primary key, owner_id text not null, body text not null);
                alter table notes enable row level security;
                create policy notes_by_user on notes
                    using (owner_id = current_setting('app.current_user_id', true))
                    with check (owner_id = current_setting('app.current_user_id', true));
                insert into notes (owner_id, body) values ('alice', 'a1'), ('alice', 'a2'), ('bob', 'b1');
            `);
        } finally {
            await owner.end();
        }
    });

    it("shows the app role only the current user's rows", async () => {
        const rows = await asApp("alice", async (c) => (await c.query<{ body: string }>("select body from notes order by body")).rows);
        expect(rows.map((r) => r.body)).toEqual(["a1", "a2"]);
    });

    it("lets the app role write its own rows, through the default privileges on a table created after up", async () => {
        await asApp("bob", (c) => c.query("insert into notes (owner_id, body) values ('bob', 'b2')"));
        const mine = await asApp("bob", async (c) => (await c.query("select * from notes")).rowCount);
        expect(mine).toBe(2);
    });

    it("refuses inserting or updating another user's rows", async () => {
        await expect(asApp("alice", (c) => c.query("insert into notes (owner_id, body) values ('bob', 'forged')"))).rejects.toThrow(/row-level security/);
        const updated = await asApp("alice", async (c) => (await c.query("update notes set body = 'hijacked' where owner_id = 'bob'")).rowCount);
        expect(updated).toBe(0);
        await expect(asApp("alice", (c) => c.query("update notes set owner_id = 'bob' where owner_id = 'alice'"))).rejects.toThrow(/row-level security/);
    });

    it("cannot switch RLS off: neither ALTER TABLE nor SET row_security", async () => {
        await expect(asApp("alice", (c) => c.query("alter table notes disable row level security"))).rejects.toThrow(/must be owner/);
        await expect(
            asApp("alice", async (c) => {
                await c.query("set row_security = off");
                return c.query("select * from notes");
            }),
        ).rejects.toThrow(/row-level security/);
    });

    it("cannot create roles or databases, nor change the schema", async () => {
        await expect(asApp("alice", (c) => c.query("create role intruder"))).rejects.toThrow(/permission denied/);
        await expect(asApp("alice", (c) => c.query("create database intruder"))).rejects.toThrow(/permission denied/);
        await expect(asApp("alice", (c) => c.query("create table sneaky (id int)"))).rejects.toThrow(/permission denied/);
    });

    it("keeps every role out of the databases that are not its own", async () => {
        const authentikDb = authentik.AUTHENTIK_POSTGRESQL__NAME!;
        await expect(connect(appUrl, authentikDb)).rejects.toThrow(/permission denied for database/);
        await expect(connect(ownerUrl, authentikDb)).rejects.toThrow(/permission denied for database/);
        const authentikUrl = `postgresql://${authentik.AUTHENTIK_POSTGRESQL__USER}:${encodeURIComponent(authentik.AUTHENTIK_POSTGRESQL__PASSWORD!)}@${server.host}:${server.port}/${authentikDb}`;
        const own = await connect(authentikUrl);
        await own.end();
        await expect(connect(authentikUrl, "rls_qa")).rejects.toThrow(/permission denied for database/);
    });

    it("a second pulumi up changes nothing", async () => {
        await stack.expectNoChanges();
        const second = await stack.up();
        expect(second.stdout).not.toMatch(/\b(created|updated|replaced|deleted)\b/);
    });

    it("pulumi destroy removes what it created and nothing else", async () => {
        await stack.destroy();
        const roles = await query<{ rolname: string }>(server, "select rolname from pg_roles where rolname in ('rls_qa_owner', 'rls_qa_app', 'authentik_qa')");
        const dbs = await query<{ datname: string }>(server, "select datname from pg_database where datname in ('rls_qa', 'authentik_qa', 'bystander')");
        expect(roles).toEqual([]);
        expect(dbs.map((d) => d.datname)).toEqual(["bystander"]);
    });
});

describe("PostgreSQL: a bad admin connection", () => {
    const server = injectedPostgres();
    let stack: PulumiStack;

    beforeAll(async () => {
        stack = await PulumiStack.create(
            "badconn",
            {
                environment: "test",
                app: { name: "badconn", publicUrl: "http://localhost:5000" },
                // Its own Authentik database and role: the smoke test's stack is a `test` stack on the same server too.
                postgres: { host: server.host, port: 1, adminUser: server.user, databases: { authentik: "authentik_badconn" }, roles: { authentik: "authentik_badconn" } },
                authentik: { url: emulator.url },
            },
            { "postgres.adminPassword": "wrong-admin-password", "authentik.token": emulator.token },
        );
    });

    afterAll(async () => {
        await stack?.destroy().catch(() => undefined);
        await stack?.remove();
    });

    const failureText = async () => {
        const result = await stack.run("up", "--yes", "--skip-preview");
        expect(result.code).not.toBe(0);
        return result.stdout + result.stderr;
    };

    it("names host and port of an unreachable server, and no password", async () => {
        const text = await failureText();
        expect(text).toContain(`${server.host}:1`);
        expect(text).not.toContain("wrong-admin-password");
    });

    it("names host and port when the admin password is wrong, and no password", async () => {
        await stack.ok("config", "set", "--path", "postgres.port", String(server.port));
        const text = await failureText();
        expect(text).toContain(`${server.host}:${server.port}`);
        expect(text).not.toContain("wrong-admin-password");
        expect(text).not.toContain(server.password);
    });

    it("finishes on the next pulumi up once the connection is fixed, with nothing left half-created", async () => {
        await stack.ok("config", "set", "--secret", "--path", "postgres.adminPassword", server.password);
        await stack.up();
        await stack.expectNoChanges();
        const dbs = await query<{ datname: string }>(server, "select datname from pg_database where datname in ('badconn_test', 'authentik_badconn') order by 1");
        expect(dbs.map((d) => d.datname)).toEqual(["authentik_badconn", "badconn_test"]);
        await stack.destroy();
    });
});

describe("PostgreSQL: renaming a role and a database through config", () => {
    const server = injectedPostgres();
    let stack: PulumiStack;
    const names = async () => ({
        roles: (await query<{ rolname: string }>(server, "select rolname from pg_roles where rolname like 'ren\\_%' order by 1")).map((r) => r.rolname),
        databases: (await query<{ datname: string }>(server, "select datname from pg_database where datname like 'ren\\_%' order by 1")).map((r) => r.datname),
    });

    beforeAll(async () => {
        stack = await PulumiStack.create(
            "renames",
            {
                environment: "test",
                app: { name: "ren", publicUrl: "http://localhost:5000" },
                postgres: { host: server.host, port: server.port, adminUser: server.user, databases: { authentik: "ren_authentik" }, roles: { authentik: "ren_authentik" } },
                authentik: { url: emulator.url },
            },
            { "postgres.adminPassword": server.password, "authentik.token": emulator.token },
        );
        await stack.up();
    });
    afterAll(async () => {
        await stack?.remove();
    });

    it("renames in place: the app role keeps its privileges under its new name, in the renamed database", async () => {
        await stack.ok("config", "set", "--path", "postgres.roles.app", "ren_runtime");
        await stack.ok("config", "set", "--path", "postgres.databases.app", "ren_data");
        const result = await stack.up();
        expect(result.stdout).not.toMatch(/postgresql:index\/(role:Role|database:Database):\s*\(replace\)/);
        expect(await names()).toEqual({ roles: ["ren_authentik", "ren_runtime", "ren_test_owner"], databases: ["ren_authentik", "ren_data"] });
        const appUrl = new URL(((await stack.outputs(true)).database as { appUrl: string }).appUrl);
        expect(decodeURIComponent(appUrl.username)).toBe("ren_runtime");
        expect(appUrl.pathname).toBe("/ren_data");
        const rows = await query<{ who: string; db: string }>(server, "select current_user as who, current_database() as db", [], {
            user: "ren_runtime",
            password: decodeURIComponent(appUrl.password),
            database: "ren_data",
        });
        expect(rows).toEqual([{ who: "ren_runtime", db: "ren_data" }]);
    });

    it("a refresh finds them under their new names, and the next preview has nothing to do", async () => {
        await stack.refresh();
        await stack.expectNoChanges();
        const ids = (await stack.resources()).filter((r) => /::gatehouse-postgres-(app|app-db)$/.test(r.urn)).map((r) => r.id).sort();
        expect(ids).toEqual(["ren_data", "ren_runtime"]);
    });

    it("destroy leaves nothing behind", async () => {
        await stack.destroy();
        expect(await names()).toEqual({ roles: [], databases: [] });
    });
});

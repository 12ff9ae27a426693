/** Live checks of PostgreSQL, as the stack's admin: version, the app role's powers, RLS, and who reaches which database. */
import pg from "pg";
import type { StackConfig } from "../../../../infra/config/schema";
import { scrub } from "../../../../infra/secrets/scrub";
import { fail, pass, type Verdict } from "../types";

/** What the provider's sslmode means for node-postgres (as infra/postgres/preflight.ts). */
function tls(sslMode: StackConfig["postgres"]["sslMode"]): pg.ClientConfig["ssl"] {
    if (sslMode === "disable") return false;
    return sslMode === "require" ? { rejectUnauthorized: false } : { rejectUnauthorized: true };
}

/** Runs `work` on an admin connection to `database`; the admin password is used for the connection only. */
export async function asAdmin<T>(config: StackConfig, password: string, database: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
    const { host, port, adminUser: user, sslMode } = config.postgres;
    const client = new pg.Client({ host, port, user, password, database, ssl: tls(sslMode), connectionTimeoutMillis: 15_000 });
    client.on("error", () => undefined);
    try {
        await client.connect();
    } catch (error) {
        const e = error as { code?: string; message?: string };
        throw new Error(`cannot connect to PostgreSQL at ${host}:${port} as ${user}: ${scrub(e.message ?? "", [password])}`);
    }
    try {
        return await work(client);
    } finally {
        await client.end().catch(() => undefined);
    }
}

export async function pgVersion(config: StackConfig, password: string): Promise<Verdict> {
    const version = await asAdmin(config, password, config.postgres.adminDatabase, async (c) => (await c.query<{ v: string; s: string }>("select current_setting('server_version_num') v, current_setting('server_version') s")).rows[0]!);
    return Number(version.v) >= 180_000 ? pass(`PostgreSQL ${version.s}`) : fail(`PostgreSQL ${version.s}: the guides ask for 18 or newer`);
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Not superuser, owner or BYPASSRLS, and RLS filters a probe table's rows for it (created and rolled back). */
export async function appRole(config: StackConfig, password: string): Promise<Verdict> {
    const { appRole: app, ownerRole: owner, appDatabase: database } = config.names;
    const schema = config.postgres.schema;
    return asAdmin(config, password, database, async (c) => {
        const role = (await c.query<Record<string, boolean>>("select rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, rolreplication from pg_roles where rolname = $1", [app])).rows[0];
        if (!role) return fail(`role ${app} does not exist`);
        const powers = Object.entries({ SUPERUSER: role.rolsuper, BYPASSRLS: role.rolbypassrls, CREATEROLE: role.rolcreaterole, CREATEDB: role.rolcreatedb, REPLICATION: role.rolreplication }).filter(([, v]) => v).map(([k]) => k);
        if (powers.length > 0) return fail(`${app} has ${powers.join(", ")}`);
        const owned = (await c.query<{ what: string }>(
            "select 'database ' || datname what from pg_database where pg_get_userbyid(datdba) = $1 union all select 'table ' || schemaname || '.' || tablename from pg_tables where tableowner = $1",
            [app],
        )).rows.map((r) => r.what);
        if (owned.length > 0) return fail(`${app} owns ${owned.join(", ")}: RLS does not apply to an owner`);
        await c.query("begin");
        try {
            await c.query(`set local role ${q(owner)}`);
            const table = `${q(schema)}.gatehouse_audit_probe`;
            await c.query(`create table ${table} (owner_id text not null)`);
            await c.query(`alter table ${table} enable row level security`);
            await c.query(`create policy probe on ${table} using (owner_id = current_setting('app.current_user_id', true))`);
            await c.query(`insert into ${table} values ('audit-a'), ('audit-b')`);
            await c.query(`set local role ${q(app)}`);
            await c.query("select set_config('app.current_user_id', 'audit-a', true)");
            const seen = Number((await c.query<{ n: string }>(`select count(*) n from ${table}`)).rows[0]!.n);
            return seen === 1 ? pass(`${app}: no superuser, owner or BYPASSRLS; RLS showed it 1 of 2 probe rows (rolled back)`) : fail(`RLS did not filter the probe table for ${app}: it saw ${seen} of 2 rows`);
        } catch (error) {
            return fail(`the RLS probe failed: ${(error as Error).message}`);
        } finally {
            await c.query("rollback").catch(() => undefined);
        }
    });
}

/** Each role reaches its own database only (and the admin's maintenance database, which every role may). */
export async function crossDatabase(config: StackConfig, password: string): Promise<Verdict> {
    const n = config.names;
    const own: Record<string, string> = { [n.ownerRole]: n.appDatabase, [n.appRole]: n.appDatabase, [n.authentikRole]: n.authentikDatabase };
    const reach = await asAdmin(config, password, config.postgres.adminDatabase, async (c) =>
        (await c.query<{ role: string; datname: string }>(
            "select r.rolname role, d.datname from pg_roles r cross join pg_database d where r.rolname = any($1) and not d.datistemplate and d.datname <> $2 and has_database_privilege(r.oid, d.oid, 'CONNECT') order by 1, 2",
            [Object.keys(own), config.postgres.adminDatabase],
        )).rows,
    );
    const foreign = reach.filter((r) => own[r.role] !== r.datname).map((r) => `${r.role} → ${r.datname}`);
    return foreign.length > 0 ? fail(`roles reach databases not their own: ${foreign.join(", ")}`) : pass(`${Object.keys(own).length} roles reach their own database only`);
}

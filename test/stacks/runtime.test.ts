import { join } from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { settle, settled } from "../harness/mocks";
import { readStackFile, withRequiredSecrets } from "../config/stack-file";
import { buildRecorded, isSecretValue, plainStrings, READY_URL, recordRaw, type RawResource } from "./runtime-mocks";

/**
 * The local runtime's graph for the dev stack file (whose PostgreSQL and Authentik are the runtime's) under Pulumi
 * mocks: no docker engine runs here and the docker provider plugin cannot be installed, so this is what is tested.
 */
const recorded: RawResource[] = recordRaw("dev");
let options: Map<string, pulumi.CustomResourceOptions>;

beforeAll(async () => {
    const cfg = withRequiredSecrets(readStackFile(join(__dirname, "..", "..", "Pulumi.dev.yaml")));
    const built = await buildRecorded(cfg.raw, cfg.secretPaths, "dev");
    options = built.options;
    await settle(built.outputs.database.url);
    await settled(recorded);
});

const named = (name: string) => {
    const found = recorded.find((r) => r.name === name);
    if (!found) throw new Error(`no resource named ${name}; have ${recorded.map((r) => r.name).join(", ")}`);
    return found;
};
const envOf = (name: string) => Object.fromEntries((named(name).inputs.envs as string[]).map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]));
const dependsOnNames = async (name: string) => {
    const deps = [options.get(name)?.dependsOn ?? []].flat() as pulumi.Resource[];
    return Promise.all(deps.map((d) => settle(d.urn).then((u) => u.value.slice(u.value.lastIndexOf("::") + 2))));
};

describe("local runtime graph (dev)", () => {
    it("pulls PostgreSQL 18 and the authentik 2026.8.3 release, pinned, and runs no Redis", () => {
        const images = recorded.filter((r) => r.type === "docker:index/remoteImage:RemoteImage").map((r) => r.inputs.name);
        expect(images).toEqual(["postgres:18", "ghcr.io/goauthentik/server:2026.8.3"]);
        expect(named("gatehouse-runtime-postgres").inputs.image).toBe("image-of:postgres:18");
        for (const role of ["worker", "server"]) {
            expect(named(`gatehouse-runtime-authentik-${role}`).inputs).toMatchObject({ image: "image-of:ghcr.io/goauthentik/server:2026.8.3", command: [role] });
        }
        expect(recorded.some((r) => JSON.stringify(r.inputs).toLowerCase().includes("redis"))).toBe(false);
    });

    it("puts every container on the stack's network, PostgreSQL under the alias Authentik connects to", () => {
        expect(named("gatehouse-runtime-network").inputs).toMatchObject({ name: "gatehouse-dev", driver: "bridge" });
        expect(named("gatehouse-runtime-postgres").inputs.networksAdvanced).toEqual([{ name: "gatehouse-dev", aliases: ["postgresql"] }]);
        expect(named("gatehouse-runtime-postgres").inputs.name).toBe("gatehouse-dev-postgresql");
    });

    it("wires Authentik's environment from Gatehouse's secrets and database, bootstrap values on the worker only", () => {
        const common = {
            AUTHENTIK_SECRET_KEY: "generated-gatehouse-secrets-authentik-secret-key",
            AUTHENTIK_POSTGRESQL__HOST: "postgresql",
            AUTHENTIK_POSTGRESQL__PORT: "5432",
            AUTHENTIK_POSTGRESQL__NAME: "authentik_dev",
            AUTHENTIK_POSTGRESQL__USER: "authentik_dev",
            AUTHENTIK_POSTGRESQL__PASSWORD: "generated-gatehouse-secrets-db-authentik-password",
            AUTHENTIK_POSTGRESQL__SSLMODE: "disable",
            AUTHENTIK_ERROR_REPORTING__ENABLED: "false",
        };
        expect(envOf("gatehouse-runtime-authentik-worker")).toEqual({
            ...common,
            AUTHENTIK_BOOTSTRAP_TOKEN: "generated-gatehouse-secrets-authentik-bootstrap-token",
            AUTHENTIK_BOOTSTRAP_PASSWORD: "generated-gatehouse-secrets-authentik-bootstrap-password",
        });
        expect(envOf("gatehouse-runtime-authentik-server")).toEqual(common);
        expect(envOf("gatehouse-runtime-postgres")).toEqual({ POSTGRES_USER: "postgres", POSTGRES_PASSWORD: "pg-admin-secret-of-at-least-32-characters", POSTGRES_DB: "postgres" });
    });

    it("keeps every credential a secret: container environments, the readiness check's token, and nowhere in plain text", () => {
        for (const name of ["gatehouse-runtime-postgres", "gatehouse-runtime-authentik-worker", "gatehouse-runtime-authentik-server"]) {
            expect(isSecretValue(named(name).raw.envs), name).toBe(true);
            expect(options.get(name)?.additionalSecretOutputs, name).toContain("envs");
        }
        const ready = named("gatehouse-runtime-authentik-ready");
        expect(isSecretValue(ready.raw.token)).toBe(true);
        expect(isSecretValue(ready.raw.bootstrapPassword)).toBe(true);
        const secretValues = recorded.filter((r) => r.type === "random:index/randomPassword:RandomPassword").map((r) => `generated-${r.name}`);
        secretValues.push("pg-admin-secret-of-at-least-32-characters");
        for (const r of recorded) {
            const plain = plainStrings(r.raw).join("\n");
            for (const value of secretValues) expect(plain.includes(value), `${r.name} carries ${value} in plain text`).toBe(false);
        }
    });

    it("mounts blueprints/ where authentik discovers them, the brand's files at their media names, and named volumes for data", () => {
        const root = join(__dirname, "..", "..");
        for (const role of ["worker", "server"]) {
            const mounts = named(`gatehouse-runtime-authentik-${role}`).inputs.mounts as { type: string; source: string; target: string; readOnly?: boolean }[];
            expect(mounts[0]).toEqual({ type: "volume", source: "gatehouse-dev-authentik-data", target: "/data" });
            expect(mounts[1]).toEqual({ type: "bind", source: join(root, "blueprints"), target: "/blueprints/custom", readOnly: true });
            const media = mounts.slice(2).map((m) => [m.source, m.target, m.readOnly]);
            expect(media).toEqual([
                [join(root, "branding", "logo.svg"), expect.stringMatching(/^\/data\/media\/public\/gatehouse\/acme-dev-logo-[0-9a-f]{12}\.svg$/), true],
                [join(root, "branding", "favicon.svg"), expect.stringMatching(/^\/data\/media\/public\/gatehouse\/acme-dev-favicon-[0-9a-f]{12}\.svg$/), true],
            ]);
        }
        expect(named("gatehouse-runtime-postgres").inputs.mounts).toEqual([{ type: "volume", source: "gatehouse-dev-postgres-data", target: "/var/lib/postgresql" }]);
    });

    it("refers the brand to the mounted files instead of uploading them", () => {
        expect(recorded.filter((r) => r.type.endsWith("MediaFile"))).toEqual([]);
        const brand = recorded.find((r) => r.type.endsWith("Brand"))!;
        expect(brand.inputs.logo).toMatch(/^gatehouse\/acme-dev-logo-[0-9a-f]{12}\.svg$/);
    });

    it("health-checks with pg_isready and authentik's own `ak healthcheck`, and waits for healthy", () => {
        expect(named("gatehouse-runtime-postgres").inputs).toMatchObject({ healthcheck: { tests: ["CMD-SHELL", "pg_isready -d postgres -U postgres"] }, wait: true });
        for (const role of ["worker", "server"]) {
            expect(named(`gatehouse-runtime-authentik-${role}`).inputs).toMatchObject({
                healthcheck: { tests: ["CMD", "ak", "healthcheck"], interval: "30s", timeout: "30s", retries: 3, startPeriod: "120s" },
                wait: true,
                waitTimeout: 900,
            });
        }
    });

    it("publishes ports on loopback only, and runs the containers as non-root users", () => {
        expect(named("gatehouse-runtime-postgres").inputs.ports).toEqual([{ internal: 5432, external: 5432, ip: "127.0.0.1", protocol: "tcp" }]);
        expect(named("gatehouse-runtime-authentik-server").inputs.ports).toEqual([{ internal: 9000, external: 9000, ip: "127.0.0.1", protocol: "tcp" }]);
        expect(named("gatehouse-runtime-authentik-worker").inputs.ports).toBeUndefined();
        expect(named("gatehouse-runtime-postgres").inputs.user).toBe("postgres");
        for (const role of ["worker", "server"]) expect(named(`gatehouse-runtime-authentik-${role}`).inputs.user).toBe("1000:1000");
    });

    it("orders the update: PostgreSQL before the engine's connection, containers before the wait, the wait before every Authentik object", async () => {
        expect(await dependsOnNames("gatehouse-postgres-admin")).toEqual(["gatehouse-runtime-postgres"]);
        expect(named("gatehouse-runtime-authentik-ready").inputs).toMatchObject({ url: "http://localhost:9000", after: ["gatehouse-runtime-authentik-worker-id", "gatehouse-runtime-authentik-server-id"] });
        const authentik = recorded.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/authentik:"));
        expect(authentik.length).toBeGreaterThan(10);
        for (const r of authentik) {
            expect(r.inputs.url, r.name).toBe(READY_URL);
            expect(isSecretValue(r.raw.token), r.name).toBe(true);
            expect(r.inputs.token, r.name).toBe("generated-gatehouse-secrets-authentik-bootstrap-token");
        }
    });

    it("recreates containers whose environment changes (a rotated secret) by deleting the old one first", () => {
        for (const name of ["gatehouse-runtime-postgres", "gatehouse-runtime-authentik-worker", "gatehouse-runtime-authentik-server"]) {
            expect(options.get(name)?.deleteBeforeReplace, name).toBe(true);
        }
    });
});

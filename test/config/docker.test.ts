import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runtimeServices } from "../../infra/config/docker";
import { readStackFile, withRequiredSecrets, type RawStackConfig, errorOf, parseRaw } from "./stack-file";

const root = join(__dirname, "..", "..");
const stackFile = (stack: string) => withRequiredSecrets(readStackFile(join(root, `Pulumi.${stack}.yaml`)));
const parse = parseRaw;


const withDocker = (cfg: RawStackConfig, docker: Record<string, unknown>): RawStackConfig => ({ ...cfg, raw: { ...cfg.raw, docker } });

describe("the docker runtime's settings", () => {
    it("is on by default in dev and test, off in qa and prod", () => {
        expect(["dev", "test", "qa", "prod"].map((stack) => parse(stack, stackFile(stack)).docker.enabled)).toEqual([true, true, false, false]);
    });

    it("refuses it in qa and prod with one exact message", () => {
        for (const stack of ["qa", "prod"]) {
            expect(errorOf(stack, withDocker(stackFile(stack), { enabled: true }))).toBe(
                [`Invalid configuration for stack "${stack}" (Pulumi.${stack}.yaml): 1 bad setting; nothing was applied.`, "  - docker.enabled: the local docker runtime is for dev and test only"].join("\n"),
            );
        }
    });

    it("runs PostgreSQL and Authentik where the stack points at the runtime's loopback ports, and nothing for servers elsewhere", () => {
        const dev = parse("dev", stackFile("dev"));
        expect(runtimeServices(dev)).toEqual({ postgres: true, authentik: true, app: false });
        const external = stackFile("dev");
        (external.raw.postgres as Record<string, unknown>).host = "db.dev.example";
        (external.raw.authentik as Record<string, unknown>).url = "http://127.0.0.1:19000";
        expect(runtimeServices(parse("dev", external))).toEqual({ postgres: false, authentik: false, app: false });
        expect(runtimeServices(parse("dev", withDocker(stackFile("dev"), { enabled: false })))).toEqual({ postgres: false, authentik: false, app: false });
    });

    it("needs no authentik.token when the runtime runs Authentik, and requires one otherwise", () => {
        const dev = stackFile("dev");
        delete (dev.raw.authentik as Record<string, unknown>).token;
        dev.secretPaths.delete("authentik.token");
        expect(parse("dev", dev).authentik.token).toBeUndefined();
        expect(errorOf("dev", withDocker(dev, { enabled: false }))).toBe(
            [`Invalid configuration for stack "dev" (Pulumi.dev.yaml): 1 bad setting; nothing was applied.`, "  - authentik.token: required"].join("\n"),
        );
    });

    it("defaults to the authentik 2026.8.3 release and PostgreSQL 18 on loopback, and refuses unpinned images", () => {
        const dev = parse("dev", stackFile("dev"));
        expect(dev.docker).toMatchObject({ bindAddress: "127.0.0.1", images: { postgres: "postgres:18", authentik: "ghcr.io/goauthentik/server:2026.8.3" }, ports: { postgres: 5432, authentik: 9000 } });
        expect(errorOf("dev", withDocker(stackFile("dev"), { images: { authentik: "ghcr.io/goauthentik/server:latest", postgres: "postgres" } }))).toBe(
            [
                `Invalid configuration for stack "dev" (Pulumi.dev.yaml): 2 bad settings; nothing was applied.`,
                "  - docker.images.postgres: pin a tag or digest (e.g. postgres:18); latest and untagged images are refused",
                "  - docker.images.authentik: pin a tag or digest (e.g. ghcr.io/goauthentik/server:2026.8.3); latest and untagged images are refused",
            ].join("\n"),
        );
    });

    it("refuses TLS to the runtime's PostgreSQL, and the app's container without the runtime", () => {
        const tls = stackFile("dev");
        (tls.raw.postgres as Record<string, unknown>).sslMode = "require";
        expect(errorOf("dev", tls)).toContain("  - postgres.sslMode: the runtime's PostgreSQL speaks no TLS: use disable, or point postgres.host at a server of your own");
        expect(errorOf("dev", withDocker(stackFile("dev"), { enabled: false, app: { image: "ghcr.io/acme/app:1.2.3" } }))).toContain(
            "  - docker.app: the app's container runs in the docker runtime: set docker.enabled to true",
        );
    });
});

/**
 * What the local docker runtime (infra/runtime/) runs for a stack. It runs a service only where the stack points at
 * the runtime: PostgreSQL when `postgres.host` is a loopback name at `docker.ports.postgres`, Authentik when
 * `authentik.url` is plain http on a loopback name at `docker.ports.authentik`. A stack pointing elsewhere uses its
 * external servers, and a runtime with nothing to run declares nothing (so `docker.enabled`, on by default in dev and
 * test, changes nothing for a stack whose services live elsewhere).
 *
 * Reads a config that may be only partly valid (the schema's rules call it too), with the schema's defaults.
 */
import { DOCKER_DEFAULT_ENVIRONMENTS, PRODUCTION_LIKE, type Environment } from "./constants";
import { at, environmentOf } from "./rules/read";

/** Defaults of the `docker` section (schema.ts uses them too). */
export const DOCKER_DEFAULTS = {
    bindAddress: "127.0.0.1",
    images: { postgres: "postgres:18", authentik: "ghcr.io/goauthentik/server:2026.8.3" },
    ports: { postgres: 5432, authentik: 9000 },
} as const;

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

export function isLoopback(host: string): boolean {
    return LOOPBACK_NAMES.has(host.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export interface RuntimeServices {
    readonly postgres: boolean;
    readonly authentik: boolean;
    /** The app's own container (`docker.app`). */
    readonly app: boolean;
}

/** `docker.enabled` as set, else the environment's default (dev and test; never qa or prod). */
export function dockerEnabled(cfg: unknown): boolean {
    const given = at(cfg, "docker", "enabled");
    if (typeof given === "boolean") return given;
    const environment: Environment | undefined = environmentOf(cfg);
    return environment !== undefined && DOCKER_DEFAULT_ENVIRONMENTS.includes(environment) && !PRODUCTION_LIKE.includes(environment);
}

const numberAt = (cfg: unknown, fallback: number, ...path: string[]) => {
    const value = at(cfg, ...path);
    return typeof value === "number" ? value : fallback;
};

/** Whether the runtime runs PostgreSQL, Authentik and the app for this config. */
export function runtimeServices(cfg: unknown): RuntimeServices {
    if (!dockerEnabled(cfg)) return { postgres: false, authentik: false, app: false };
    const pgHost = at(cfg, "postgres", "host");
    const postgres = isLoopback(typeof pgHost === "string" ? pgHost : "localhost") && numberAt(cfg, 5432, "postgres", "port") === numberAt(cfg, DOCKER_DEFAULTS.ports.postgres, "docker", "ports", "postgres");
    const url = at(cfg, "authentik", "url");
    let authentik = false;
    if (typeof url === "string" && URL.canParse(url)) {
        const parsed = new URL(url);
        const port = parsed.port === "" ? 80 : Number(parsed.port);
        authentik = parsed.protocol === "http:" && isLoopback(parsed.hostname) && port === numberAt(cfg, DOCKER_DEFAULTS.ports.authentik, "docker", "ports", "authentik");
    }
    const app = typeof at(cfg, "docker", "app", "image") === "string";
    return { postgres, authentik, app };
}

/** Whether the runtime declares anything at all. */
export function runtimeRunsAnything(services: RuntimeServices): boolean {
    return services.postgres || services.authentik || services.app;
}

/**
 * Whether an image reference pins its version: a digest, or a tag other than `latest` (the tag is what follows the
 * last `:` after the last `/`, so a registry port is not taken for one).
 */
export function isPinnedImage(ref: string): boolean {
    if (/@sha256:[0-9a-f]{64}$/.test(ref)) return true;
    const last = ref.slice(ref.lastIndexOf("/") + 1);
    const colon = last.lastIndexOf(":");
    return colon > 0 && colon < last.length - 1 && last.slice(colon + 1) !== "latest";
}

/** What the runtime's containers share: names, ports, health checks and mount points (from authentik 2026.8's image). */
import { resolve } from "node:path";
import type * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";

/** PostgreSQL's name on the runtime's network (compose's service name). */
export const POSTGRES_ALIAS = "postgresql";
export const POSTGRES_PORT = 5432;
/** authentik's HTTP listener inside its container (`web.listen`, 0.0.0.0:9000). */
export const AUTHENTIK_HTTP_PORT = 9000;
/** Where authentik discovers blueprints: `blueprints_dir` is /blueprints, custom ones go below it. */
export const BLUEPRINTS_MOUNT = "/blueprints/custom";
/** authentik's file storage (`storage.file.path` /data) holds media files under media/public/ (tenant schema). */
export const MEDIA_ROOT = "/data/media/public";
/** PostgreSQL 18's image keeps PGDATA in /var/lib/postgresql/18/docker; its VOLUME is /var/lib/postgresql. */
export const POSTGRES_DATA = "/var/lib/postgresql";
/** authentik's image runs as uid 1000 (user `authentik`); the worker needs root only for the docker socket, not mounted. */
export const AUTHENTIK_USER = "1000:1000";
/** The PostgreSQL image's own `postgres` user: its entrypoint runs as it when the data directory is its own. */
export const POSTGRES_USER = "postgres";

/** The repository's blueprints/ (mounted read-only; authentik applies what lies there). */
export const BLUEPRINTS_DIR = resolve(__dirname, "..", "..", "blueprints");

/** Container and volume names on the docker host: dev and test stacks of one machine never meet. */
export function dockerName(project: string, stack: string, what: string): string {
    return `${project}-${stack}-${what}`.replace(/[^a-zA-Z0-9_.-]/g, "-");
}

export function labels(project: string, stack: string): docker.types.input.ContainerLabel[] {
    return [{ label: "gatehouse.stack", value: `${project}/${stack}` }];
}

/** A container port published on the host at `bindAddress` (loopback unless the stack says otherwise). */
export function published(internal: number, external: pulumi.Input<number>, bindAddress: string): docker.types.input.ContainerPort {
    return { internal, external, ip: bindAddress, protocol: "tcp" };
}

/** compose's PostgreSQL health check, faster while starting. */
export function postgresHealthcheck(user: string, database: string): docker.types.input.ContainerHealthcheck {
    return { tests: ["CMD-SHELL", `pg_isready -d ${database} -U ${user}`], interval: "30s", timeout: "5s", retries: 5, startPeriod: "20s", startInterval: "2s" };
}

/** authentik's own health check, as its image declares it (HEALTHCHECK … CMD ["ak", "healthcheck"]). */
export function authentikHealthcheck(): docker.types.input.ContainerHealthcheck {
    return { tests: ["CMD", "ak", "healthcheck"], interval: "30s", timeout: "30s", retries: 3, startPeriod: "120s", startInterval: "5s" };
}

/** A read-only bind mount of a host path. */
export function readOnlyBind(source: string, target: string): docker.types.input.ContainerMount {
    return { type: "bind", source, target, readOnly: true };
}

/** A named volume mounted read-write. */
export function volumeMount(volume: pulumi.Input<string>, target: string): docker.types.input.ContainerMount {
    return { type: "volume", source: volume, target };
}

/**
 * Options every container takes: a fixed name and published ports cannot exist twice, so a change that replaces a
 * container (a rotated secret in its environment) deletes the old one first; its environment is secret.
 */
export function containerOptions(parent: pulumi.Resource, extra: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions {
    return pulumi.mergeOptions({ parent, deleteBeforeReplace: true, additionalSecretOutputs: ["envs"] }, extra);
}

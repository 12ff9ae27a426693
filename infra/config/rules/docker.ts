/** The local docker runtime (infra/runtime/): dev and test only, and what it needs from the rest of the config. */
import { PRODUCTION_LIKE, type Environment } from "../constants";
import { dockerEnabled, isPinnedImage, runtimeServices } from "../docker";
import { at, stringAt, type Issue } from "./read";

export function dockerRules(cfg: unknown, environment: Environment | undefined, issue: Issue): void {
    if (environment !== undefined && PRODUCTION_LIKE.includes(environment) && at(cfg, "docker", "enabled") === true) {
        issue(["docker", "enabled"], "the local docker runtime is for dev and test only");
        return;
    }
    const services = runtimeServices(cfg);
    if (services.postgres && typeof at(cfg, "postgres", "sslMode") === "string" && at(cfg, "postgres", "sslMode") !== "disable") {
        issue(["postgres", "sslMode"], "the runtime's PostgreSQL speaks no TLS: use disable, or point postgres.host at a server of your own");
    }
    if (at(cfg, "docker", "app") !== undefined && !dockerEnabled(cfg)) issue(["docker", "app"], "the app's container runs in the docker runtime: set docker.enabled to true");
    for (const name of ["postgres", "authentik"] as const) {
        const image = stringAt(cfg, "docker", "images", name);
        if (image !== undefined && !isPinnedImage(image)) issue(["docker", "images", name], `pin a tag or digest (e.g. ${name === "postgres" ? "postgres:18" : "ghcr.io/goauthentik/server:2026.8.3"}); latest and untagged images are refused`);
    }
    const app = stringAt(cfg, "docker", "app", "image");
    if (app !== undefined && !isPinnedImage(app)) issue(["docker", "app", "image"], "pin a tag or digest; latest and untagged images are refused");
}

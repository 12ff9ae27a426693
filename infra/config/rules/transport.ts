/** qa and prod are reached over TLS only: every URL Gatehouse writes or calls, and the PostgreSQL connection. */
import { PRODUCTION_LIKE, type Environment } from "../constants";
import { at, stringAt, stringsAt, type Issue } from "./read";

export function transportRules(cfg: unknown, environment: Environment | undefined, issue: Issue): void {
    if (environment === undefined || !PRODUCTION_LIKE.includes(environment)) return;
    const https = (path: (string | number)[], url: string | undefined) => {
        if (url !== undefined && URL.canParse(url) && !url.startsWith("https://")) issue(path, `expected an https URL in ${environment}`);
    };
    https(["app", "publicUrl"], stringAt(cfg, "app", "publicUrl"));
    stringsAt(cfg, "app", "redirectUris").forEach((uri, i) => https(["app", "redirectUris", i], uri));
    https(["authentik", "url"], stringAt(cfg, "authentik", "url"));
    stringsAt(cfg, "app", "logoutRedirectUris").forEach((uri, i) => https(["app", "logoutRedirectUris", i], uri));
    https(["authentik", "oidc", "launchUrl"], stringAt(cfg, "authentik", "oidc", "launchUrl"));
}

/** PostgreSQL: TLS in qa; in prod also the server's certificate and host name checked (verify-full). */
export function postgresTlsRules(cfg: unknown, environment: Environment | undefined, issue: Issue): void {
    const sslMode = at(cfg, "postgres", "sslMode");
    if (environment === "prod" && typeof sslMode === "string" && sslMode !== "verify-full") {
        issue(["postgres", "sslMode"], "expected verify-full in prod: TLS with the server's certificate and host name verified");
    }
    if (environment === "qa" && sslMode === "disable") issue(["postgres", "sslMode"], "TLS to PostgreSQL is required in qa (require, verify-ca or verify-full)");
}

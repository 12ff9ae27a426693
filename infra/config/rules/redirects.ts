/** Redirect URIs are matched strictly: a wildcard or a regular expression would widen them. Every environment. */
import { stringsAt, type Issue } from "./read";

/** What only a pattern would contain: regex metacharacters, or `.` before a quantifier. */
const REGEX_LIKE = /[\\^$|()[\]{}]|\.[*+?]/;

export function redirectRules(cfg: unknown, issue: Issue): void {
    for (const key of ["redirectUris", "logoutRedirectUris"] as const) {
        stringsAt(cfg, "app", key).forEach((uri, i) => {
            if (uri.includes("*")) issue(["app", key, i], "wildcards are not allowed; list each redirect URI exactly");
            else if (REGEX_LIKE.test(uri)) issue(["app", key, i], "looks like a regular expression; redirect URIs are matched strictly, so list each one exactly");
            if (URL.canParse(uri) && new URL(uri).hash !== "") issue(["app", key, i], "a redirect URI must not contain a fragment");
        });
    }
}

/** Live checks of the stack's secrets: their age from the state, and their absence from the project's git history. */
import { execFile } from "node:child_process";
import { DEFAULT_ROTATION_MAX_AGE_DAYS } from "../../../../infra/config/constants";
import { RANDOM_PASSWORD } from "../stack-view";
import { urnName } from "../../state";
import { fail, na, pass, type AuditSubject, type Verdict } from "../types";

/** The secrets whose age is checked: what an attacker holding an old copy could use. */
const AGED = ["oidc-client-secret", "db-owner-password", "db-app-password", "db-authentik-password"];
const DAY_MS = 86_400_000;

export function secretAge(subject: AuditSubject): Verdict {
    const max = subject.config.rotation.maxAgeDays ?? DEFAULT_ROTATION_MAX_AGE_DAYS;
    const ages: string[] = [];
    const old: string[] = [];
    for (const secret of AGED) {
        const r = subject.resources.find((x) => x.type === RANDOM_PASSWORD && urnName(x.urn).endsWith(`-secrets-${secret}`));
        if (!r) return fail(`no ${secret} in the stack's state (run pulumi up)`);
        if (!r.created) return na(`the state records no creation time for ${secret} (made by an older Pulumi)`);
        const days = Math.floor((subject.now.getTime() - Date.parse(r.created)) / DAY_MS);
        ages.push(`${secret} ${days}d`);
        if (days > max) old.push(`${secret} is ${days} days old`);
    }
    return old.length > 0 ? fail(`${old.join(", ")} (rotation.maxAgeDays ${max}): npm run rotate -- --stack ${subject.stack} <secret>`) : pass(`${ages.join(", ")} (max ${max})`);
}

function gitLog(repo: string): Promise<string | undefined> {
    return new Promise((resolve) => {
        execFile("git", ["-C", repo, "log", "-p", "--all", "--no-color", "--no-ext-diff", "--text"], { maxBuffer: 1024 * 1024 * 1024 }, (error, stdout) => resolve(error ? undefined : stdout));
    });
}

/** Compared in memory; what is printed is the secrets' names, never their values. */
export async function gitHistory(subject: AuditSubject): Promise<Verdict> {
    const history = await gitLog(subject.repoDir);
    if (history === undefined) return na(`${subject.repoDir} is not a git checkout: there is no history to search`);
    const found = [...subject.secrets.entries()].filter(([, value]) => value.length >= 8 && (history.includes(value) || history.includes(encodeURIComponent(value)))).map(([name]) => name);
    return found.length > 0
        ? fail(`in the git history: ${found.join(", ")}; rotate them (npm run rotate; a supplied one where it was made)`)
        : pass(`none of the stack's ${subject.secrets.size} secrets appears in the git history`);
}

/** One result per checklist item: by construction, the schema's verdict, a config check, a live check, or n/a. */
import { ConfigError } from "../../../infra/config/parse";
import { envFileGitStatus } from "../../../infra/config/project-files";
import { CHECKLIST, type ChecklistItem, type CheckId } from "./catalogue";
import { AuthentikReader } from "./checks/authentik-api";
import { AuthentikFacts, appBindings, groupsNotSuperuser, providerGrants, redirectUrisCheck, signing, signingKeyUnshared, testUsersAbsent, tokenPrivilege } from "./checks/authentik";
import { adminMfa } from "./checks/mfa";
import { appRole, crossDatabase, pgVersion } from "./checks/postgres";
import { gitHistory, secretAge } from "./checks/secrets";
import { fail, na, pass, type AuditSubject, type ItemResult, type Verdict } from "./types";

/** The config as far as the audit got: parsed, or refused by the schema with its message. */
export type ConfigOutcome = { readonly ok: true; readonly subject: AuditSubject } | { readonly ok: false; readonly error: ConfigError; readonly environment?: string };

function configCheck(id: CheckId, subject: AuditSubject): Verdict {
    if (id !== "env-file-ignored") throw new Error(`no config check ${id}`);
    const envFile = subject.config.handoff.envFile;
    if (envFile === undefined) return na("no handoff.envFile: the app reads the stack's outputs");
    const status = envFileGitStatus(subject.projectDir, envFile);
    if (status === "ignored") return pass("git ignores handoff.envFile");
    if (status === "no-git") return na("the project is not a git checkout: nothing can commit the env file");
    return fail("git would not ignore handoff.envFile, which holds the app's secrets: add it to .gitignore");
}

async function liveCheck(id: CheckId, subject: AuditSubject, facts: AuthentikFacts): Promise<Verdict> {
    const { config } = subject;
    const password = subject.plain.adminPassword;
    switch (id) {
        case "pg-version": return pgVersion(config, password);
        case "app-role": return appRole(config, password);
        case "cross-database": return crossDatabase(config, password);
        case "test-users-absent": return testUsersAbsent(facts);
        case "app-bindings": return appBindings(facts);
        case "provider-grants": return providerGrants(facts);
        case "redirect-uris": return redirectUrisCheck(facts);
        case "signing": return signing(facts);
        case "signing-key-unshared": return signingKeyUnshared(facts);
        case "admin-mfa": return adminMfa(facts);
        case "token-privilege": return tokenPrivilege(facts);
        case "groups-not-superuser": return groupsNotSuperuser(facts);
        case "secret-age": return secretAge(subject);
        case "git-history": return gitHistory(subject);
        case "env-file-ignored": return configCheck(id, subject);
    }
}

/** The schema's verdict on one item: failed when an error names one of its settings. */
function schemaVerdict(item: ChecklistItem, outcome: ConfigOutcome): Verdict {
    const environment = outcome.ok ? outcome.subject.config.environment : outcome.environment;
    if (!outcome.ok) {
        const lines = outcome.error.message.split("\n").slice(1).map((l) => l.replace(/^\s*- /, ""));
        const hits = lines.filter((line) => (item.paths ?? []).some((p) => line.startsWith(p)));
        if (hits.length > 0) return fail(hits.join("; "));
    }
    if (item.environments && environment !== undefined && !item.environments.includes(environment as never)) {
        return na(`refused in ${item.environments.join(" and ")} only (this stack is ${environment})`);
    }
    return pass(`accepted by the schema: ${item.how}`);
}

export async function runAudit(outcome: ConfigOutcome, live: boolean, progress: (line: string) => void = () => undefined): Promise<ItemResult[]> {
    const facts = outcome.ok ? new AuthentikFacts(new AuthentikReader(outcome.subject.config.authentik.url, outcome.subject.plain.token), outcome.subject) : undefined;
    const results: ItemResult[] = [];
    for (const item of CHECKLIST) {
        let verdict: Verdict;
        if (item.mapping === "construction") verdict = pass(`by construction: ${item.how}`);
        else if (item.mapping === "out-of-scope") verdict = na(`out of scope: ${item.how}`);
        else if (item.mapping === "schema") verdict = schemaVerdict(item, outcome);
        else if (!outcome.ok || !facts) verdict = na("the stack's config is invalid (see the schema's items)");
        else if (item.mapping === "audit-config") verdict = configCheck(item.check!, outcome.subject);
        else if (!live) verdict = na("a live check: run with --live");
        else {
            progress(`checking ${item.id}…`);
            try {
                verdict = await liveCheck(item.check!, outcome.subject, facts);
            } catch (error) {
                verdict = fail((error as Error).message);
            }
        }
        results.push({ id: item.id, item: item.item, mapping: item.mapping, ...verdict });
    }
    return results;
}

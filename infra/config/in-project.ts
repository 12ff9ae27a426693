/**
 * A stack's settings validated as they are in the project: with which leaves are secret (from its stack file), the
 * other stacks' committed names and whether git ignores its env file. Shared by the program (load.ts, settings from
 * the Pulumi runtime) and `npm run audit` (settings from `pulumi config --json`), so both judge a stack alike.
 */
import { existsSync, readFileSync } from "node:fs";
import { parse } from "yaml";
import { parseStackConfig } from "./parse";
import { envFileGitStatus, readOtherStacks } from "./project-files";
import { allPaths, securePaths } from "./secret-paths";
import type { StackConfig } from "./schema";

/** Pulumi hands every setting over as a string; objects, lists, numbers and booleans arrive JSON-encoded. */
export function decodeSetting(key: string, value: string): unknown {
    // `environment` stays a string even when it looks like JSON.
    if (key === "environment") return value;
    try {
        return JSON.parse(value);
    } catch {
        return value;
    }
}

export interface ProjectStack {
    readonly stack: string;
    readonly project: string;
    /** Where Pulumi.yaml and the other stacks' files are. */
    readonly projectDir: string;
    /** The stack's file (`--config-file`, else Pulumi.<stack>.yaml). */
    readonly configFile: string;
    /** Top-level keys Pulumi reports as secret: all there is to go by when the stack file is absent. */
    readonly secretKeys: ReadonlySet<string>;
}

/**
 * Which settings were set with `--secret`, leaf by leaf, from the stack file. Without one, every setting under a
 * secret top-level key counts as secret: all Pulumi tells.
 */
function secretPathsOf(at: ProjectStack, raw: Record<string, unknown>): Set<string> {
    if (existsSync(at.configFile)) {
        const doc = parse(readFileSync(at.configFile, "utf8")) as { config?: Record<string, unknown> } | null;
        return securePaths(doc?.config ?? {}, at.project);
    }
    return new Set([...at.secretKeys].flatMap((key) => allPaths(key, raw[key])));
}

/** Parses the settings (keys without the project namespace); throws ConfigError listing every bad key. */
export function parseInProject(raw: Record<string, unknown>, at: ProjectStack): StackConfig {
    const envFile = (raw.handoff as { envFile?: unknown } | undefined)?.envFile;
    return parseStackConfig(raw, {
        stack: at.stack,
        secretPaths: secretPathsOf(at, raw),
        otherStacks: readOtherStacks(at.projectDir, at.stack, at.project),
        envFileGit: envFileGitStatus(at.projectDir, typeof envFile === "string" ? envFile : undefined),
    });
}

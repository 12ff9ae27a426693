import type { z } from "zod";
import { ROTATABLE_SECRETS } from "./constants";

/** Maps whose keys are names from a fixed list: say which names exist instead of just "unknown". */
const UNKNOWN_KEY_MESSAGES: Readonly<Record<string, string>> = {
    rotation: `unknown secret; expected one of ${ROTATABLE_SECRETS.join(", ")}`,
};

/** `["authentik", "testUsers", 0, "email"]` -> `authentik.testUsers[0].email` */
export function formatPath(path: readonly PropertyKey[]): string {
    return path
        .map((part, i) => (typeof part === "number" ? `[${part}]` : `${i === 0 ? "" : "."}${String(part)}`))
        .join("");
}

/** One line per bad key. Messages never contain the value that was given, so no secret can leak through them. */
export function issueLines(error: z.ZodError): string[] {
    const lines: string[] = [];
    for (const issue of error.issues) {
        if (issue.code === "unrecognized_keys") {
            const message = UNKNOWN_KEY_MESSAGES[formatPath(issue.path)] ?? "unknown setting";
            for (const key of issue.keys) lines.push(`${formatPath([...issue.path, key])}: ${message}`);
            continue;
        }
        const path = formatPath(issue.path);
        lines.push(`${path || "(root)"}: ${issue.message}`);
    }
    return [...new Set(lines)];
}

export function formatConfigError(stack: string, error: z.ZodError): string {
    const lines = issueLines(error);
    const noun = lines.length === 1 ? "setting" : "settings";
    return [
        `Invalid configuration for stack "${stack}" (Pulumi.${stack}.yaml): ${lines.length} bad ${noun}; nothing was applied.`,
        ...lines.map((line) => `  - ${line}`),
    ].join("\n");
}

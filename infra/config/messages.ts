import type { z } from "zod";

/**
 * Plain messages for zod's built-in checks. Zod's defaults are written for developers
 * ("Invalid input: expected string, received undefined"); stack authors get "required".
 * Never include `issue.input`: it may be a secret.
 */
export function configErrorMessage(issue: z.core.$ZodRawIssue): string | undefined {
    switch (issue.code) {
        case "invalid_type":
            if (issue.input === undefined) return "required";
            return `expected ${issue.expected === "array" ? "a list" : issue.expected === "object" ? "a map of settings" : `a ${issue.expected}`}`;
        case "invalid_value":
            return `expected one of ${issue.values.map((v) => String(v)).join(", ")}`;
        default:
            return undefined;
    }
}

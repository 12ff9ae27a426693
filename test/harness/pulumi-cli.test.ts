import { describe, expect, it } from "vitest";
import { PulumiStack } from "../../scripts/lib/pulumi-cli";

describe("PulumiStack", () => {
    it("sets a secret whose value starts with '-' (a generated password may), and never names the value when it fails", async () => {
        const stack = await PulumiStack.create("harness-dash", { environment: "dev" }, { "postgres.adminPassword": "-5abc-def" });
        try {
            const read = await stack.ok("config", "get", "--path", "postgres.adminPassword");
            expect(read.stdout.trim()).toBe("-5abc-def");
            const failed = await stack.setSecret("[not a path", "-hidden-value").then(() => "", (error: Error) => error.message);
            expect(failed).toContain("failed");
            expect(failed).not.toContain("-hidden-value");
        } finally {
            await stack.remove();
        }
    });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PulumiStack } from "../../scripts/lib/pulumi-cli";

/** A bad stack file stops the real engine before anything is declared, with the schema's one message. */
describe("invalid configuration through the real engine", () => {
    let stack: PulumiStack;

    beforeAll(async () => {
        stack = await PulumiStack.create(
            "cfgprod",
            {
                environment: "prod",
                app: { name: "acme", publicUrl: "http://acme.example" },
                postgres: { host: "127.0.0.1", port: 1, sslMode: "verify-full" },
                authentik: { url: "https://auth.acme.example" },
            },
            { "postgres.adminPassword": "admin-password-not-to-be-echoed-anywhere" },
        );
    });

    afterAll(async () => {
        await stack?.remove();
    });

    it("pulumi preview and up fail with every bad key listed, and apply nothing", async () => {
        for (const command of [["preview"], ["up", "--yes", "--skip-preview"]]) {
            const result = await stack.run(...command);
            expect(result.code).not.toBe(0);
            const text = result.stdout + result.stderr;
            expect(text).toContain(`Invalid configuration for stack "cfgprod" (Pulumi.cfgprod.yaml): 2 bad settings; nothing was applied.`);
            expect(text).toContain("  - app.publicUrl: expected an https URL in prod");
            expect(text).toContain("  - authentik.token: required");
            expect(text).not.toContain("admin-password-not-to-be-echoed-anywhere");
            // RunError: the message alone, no stack trace from the program.
            expect(text).not.toMatch(/at .*stacks\/index\.ts/);
        }
        const types = (await stack.resources()).map((r) => r.type);
        expect(types.filter((t) => t !== "pulumi:pulumi:Stack")).toEqual([]);
    });
});

import { defineConfig } from "vitest/config";

export default defineConfig({
    test: {
        include: ["test/**/*.test.ts", "testbed/**/*.test.ts", "infra/**/*.test.ts"],
        // End-to-end tests drive real processes (PostgreSQL, the Pulumi engine); give them room.
        testTimeout: 120_000,
        hookTimeout: 180_000,
        // Pulumi's runtime mocks are process-global: one test file per worker, files in parallel.
        pool: "forks",
        globalSetup: ["test/harness/global-setup.ts"],
    },
});

import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { settle, settled } from "../harness/mocks";
import { readStackFile, withRequiredSecrets } from "../config/stack-file";
import { buildRecorded, recordRaw, type RawResource } from "./runtime-mocks";

/** A test stack (docker on by default) whose PostgreSQL and Authentik live elsewhere: the runtime declares nothing. */
const recorded: RawResource[] = recordRaw("test");

beforeAll(async () => {
    const cfg = withRequiredSecrets(readStackFile(join(__dirname, "..", "..", "Pulumi.test.yaml")));
    (cfg.raw.postgres as Record<string, unknown>).host = "db.test.example";
    (cfg.raw.authentik as Record<string, unknown>).url = "http://127.0.0.1:19000";
    const built = await buildRecorded(cfg.raw, cfg.secretPaths, "test");
    await settle(built.outputs.database.url);
    await settled(recorded);
});

describe("local runtime graph for a stack with servers of its own", () => {
    it("declares no container, network, wait or bootstrap password, and the Authentik objects use the stack's token", () => {
        expect(recorded.filter((r) => r.type.startsWith("docker:") || r.type.startsWith("gatehouse:runtime:") || r.name.endsWith("-ready"))).toEqual([]);
        expect(recorded.map((r) => r.name)).not.toContain("gatehouse-secrets-authentik-bootstrap-password");
        const authentik = recorded.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/authentik:"));
        expect(authentik.length).toBeGreaterThan(5);
        for (const r of authentik) {
            expect(r.inputs.url, r.name).toBe("http://127.0.0.1:19000");
            expect(r.inputs.token, r.name).toBeUndefined();
        }
    });
});

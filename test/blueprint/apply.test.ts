import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blueprintImportProvider, importBlueprint } from "../../infra/blueprint/import";
import { startEmulator, type Emulator } from "../../testbed/authentik";

/** `authentik.blueprints`: a person's blueprint applied through the import API, a failure failing with authentik's words. */
let ak: Emulator;
beforeAll(async () => {
    ak = await startEmulator({ token: "apply-token" });
});
afterAll(async () => {
    await ak?.stop();
});

const GOOD = "version: 1\nentries:\n  - { model: authentik_core.group, identifiers: { name: person-made }, attrs: { is_superuser: false } }\n";

describe("applying a blueprint from blueprints/", () => {
    it("imports it, and reports that authentik made no instance of its own", async () => {
        const created = await blueprintImportProvider.create!({ url: ak.url, token: ak.token, file: "people.yaml", content: GOOD });
        expect(created).toMatchObject({ id: "people.yaml", outs: { instanceStatus: "none" } });
        const groups = (await (await fetch(`${ak.url}/api/v3/core/groups/?name=person-made`, { headers: { Authorization: `Bearer ${ak.token}` } })).json()) as { results: unknown[] };
        expect(groups.results).toHaveLength(1);
    });

    it("fails with authentik's own log line when authentik refuses it", async () => {
        const bad = "version: 1\nentries:\n  - { model: authentik_core.group, identifiers: { name: person-made-2 }, attrs: { parents: [!KeyOf nowhere] } }\n";
        await expect(importBlueprint({ url: ak.url, token: ak.token, file: "broken.yaml", content: bad })).rejects.toThrow(
            [
                "authentik refused blueprint blueprints/broken.yaml (the import answered success: false); authentik's log:",
                '  warning: Entry invalid: KeyOf: failed to find entry with `id` of `nowhere` and a model instance (entry {"model":"authentik_core.group","id":null})',
                "  warning: Blueprint validation failed",
            ].join("\n"),
        );
    });

    it("refuses before sending a tag authentik does not know (authentik would answer a bare HTTP 500)", async () => {
        const result = await blueprintImportProvider.check!({}, { url: ak.url, file: "tags.yaml", content: "version: 1\nentries:\n  - { model: authentik_core.group, identifiers: { name: !Secret x } }\n" });
        expect(result.failures).toEqual([{ property: "content", reason: expect.stringMatching(/^blueprints\/tags\.yaml: unknown tag !Secret: authentik knows !KeyOf, !Find/) }]);
        await expect(importBlueprint({ url: ak.url, token: ak.token, file: "tags.yaml", content: "version: 1\nentries:\n  - { model: authentik_core.group, identifiers: { name: !Secret x } }\n" })).rejects.toThrow(
            "blueprint tags.yaml: authentik answered HTTP 500 to the import: it could not load the file",
        );
    });
});

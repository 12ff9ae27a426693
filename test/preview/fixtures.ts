import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { JsonValue } from "../../scripts/lib/preview/model";
import type { Scenario } from "./scenarios";

export const FIXTURE_DIR = join(__dirname, "fixtures");

/**
 * A captured `pulumi preview --json --show-sames` as it is kept: exactly as the engine printed it (secrets already
 * `[secret]`), less what reviewers never see and that only makes the files large — the serialized dynamic providers
 * (`__provider`, tens of KB per resource) and the program's stack traces.
 */
export function normalizeFixture(json: string): string {
    const stripped = JSON.parse(json, (key: string, value: JsonValue) => {
        if (key === "__provider") return "[serialized dynamic provider]";
        if (key === "stackTrace" || key === "sourcePosition") return undefined;
        return value;
    }) as JsonValue;
    return `${JSON.stringify(stripped, null, 2)}\n`;
}

export function fixture(scenario: Scenario): string {
    return readFileSync(join(FIXTURE_DIR, `${scenario}.json`), "utf8");
}

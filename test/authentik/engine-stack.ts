import { resolve } from "node:path";

/** The engine fixture: a small Pulumi program of its own over infra/authentik (test/authentik/engine-fixture). */
export const FIXTURE_DIR = resolve(__dirname, "engine-fixture");
export const FIXTURE_PROJECT = "gatehouse-authentik-fixture";

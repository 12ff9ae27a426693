import { describe, expect, it } from "vitest";
import { changesOf, warningsOf } from "../../scripts/lib/preview/classify";
import { marker, parseMarker } from "../../scripts/lib/preview/marker";
import { parsePreview, type PreviewStep, type ResourceState } from "../../scripts/lib/preview/model";
import { indexNames, rotationName } from "../../scripts/lib/preview/names";

const urn = (type: string, name: string, parent = "") => `urn:pulumi:dev::gatehouse::${parent}${type}::${name}`;
const state = (type: string, name: string, extra: Partial<ResourceState> = {}): ResourceState => ({ urn: urn(type, name), type, custom: true, inputs: {}, ...extra });
const DB = "postgresql:index/database:Database";
const PW = "random:index/randomPassword:RandomPassword";
const GROUP = "pulumi-nodejs:dynamic/authentik:Group";
const BINDING = "pulumi-nodejs:dynamic/authentik:PolicyBinding";

function preview(steps: PreviewStep[]) {
    return parsePreview(JSON.stringify({ steps, changeSummary: {} }), "test");
}

describe("which changes, in which order", () => {
    it("folds replacement steps into one replace and leaves out reads, sames and components", () => {
        const db = state(DB, "gatehouse-postgres-app-db", { inputs: { name: "acme_dev" } });
        const changes = changesOf(
            preview([
                { op: "same", urn: urn("pulumi:pulumi:Stack", "gatehouse-dev"), oldState: { urn: urn("pulumi:pulumi:Stack", "gatehouse-dev"), type: "pulumi:pulumi:Stack", custom: false } },
                { op: "read", urn: urn("pulumi-nodejs:dynamic/authentik:FlowLookup", "f"), newState: state("pulumi-nodejs:dynamic/authentik:FlowLookup", "f") },
                { op: "create", urn: urn("gatehouse:secrets:GatehouseSecrets", "s"), newState: { ...state("gatehouse:secrets:GatehouseSecrets", "s"), custom: false } },
                { op: "create-replacement", urn: db.urn, oldState: db, newState: db },
                { op: "delete-replaced", urn: db.urn, oldState: db },
                { op: "update", urn: urn(GROUP, "g"), oldState: state(GROUP, "g"), newState: state(GROUP, "g") },
                { op: "create", urn: urn(GROUP, "h"), newState: state(GROUP, "h") },
            ]),
        );
        expect(changes.map((c) => `${c.action} ${c.urn.split("::").pop()}`)).toEqual(["replace gatehouse-postgres-app-db", "update g", "create h"]);
    });
});

describe("warnings", () => {
    it("a rotation names the secret as npm run rotate does, and what takes the new value", () => {
        const pw = state(PW, "gatehouse-secrets-oidc-client-secret", { parent: "x" });
        const provider = state("pulumi-nodejs:dynamic/authentik:OAuth2Provider", "gatehouse-oidc-provider", { inputs: { name: "acme-dev" }, propertyDependencies: { clientSecret: [pw.urn] } });
        const p = preview([
            { op: "replace", urn: pw.urn, oldState: pw, newState: pw },
            { op: "update", urn: provider.urn, oldState: provider, newState: provider },
        ]);
        expect(warningsOf(changesOf(p), indexNames(p.steps))).toEqual([
            { category: "rotation", kind: "secret", name: "oidc-client-secret", detail: "the new value goes to Authentik OAuth2 provider `acme-dev` in the same update" },
        ]);
    });

    it("Authentik's own secrets say which redeploy they need", () => {
        const pw = state(PW, "gatehouse-secrets-authentik-secret-key");
        const p = preview([{ op: "replace", urn: pw.urn, oldState: pw, newState: pw }]);
        expect(warningsOf(changesOf(p), indexNames(p.steps))[0]!.detail).toMatch(/^nothing in this preview takes the new value; then redeploy Authentik's server and worker/);
    });

    it("stateful replacements and deletions, a deletion kept in place, protected resources touched", () => {
        const db = state(DB, "db", { inputs: { name: "acme_dev" }, protect: true });
        const group = state(GROUP, "g", { inputs: { name: "acme-dev-admins" }, id: "gpk", outputs: { pk: "gpk" }, retainOnDelete: true });
        const binding = state(BINDING, "b", { inputs: { group: "gpk", target: "app" } });
        const grant = state("postgresql:index/grant:Grant", "grant");
        const p = preview([
            { op: "replace", urn: db.urn, oldState: db, newState: db, replaceReasons: ["name"] },
            { op: "delete", urn: group.urn, oldState: group },
            { op: "delete", urn: binding.urn, oldState: binding },
            { op: "delete", urn: grant.urn, oldState: grant },
        ]);
        expect(warningsOf(changesOf(p), indexNames(p.steps)).map((w) => `${w.category}: ${w.kind} ${w.name} — ${w.detail}`)).toEqual([
            "delete: Authentik group acme-dev-admins — removed from the stack but left in place (retainOnDelete)",
            "delete: Authentik group binding acme-dev-admins — loses its group's access to the application",
            "replace: PostgreSQL database acme_dev — deleted and created anew: loses its tables and rows",
            "protected: PostgreSQL database acme_dev — protected, and this preview would replace it",
        ]);
    });
});

describe("names and markers", () => {
    it("rotation names as npm run rotate maps them", () => {
        expect(rotationName(urn(PW, "gatehouse-secrets-db-app-password"))).toBe("db-app-password");
        expect(rotationName(urn(PW, "gatehouse-secrets-test-user-passwords-eddie"))).toBe("test-user-passwords (eddie)");
        expect(rotationName(urn(PW, "something-else"))).toBeUndefined();
    });

    it("a marker matches its own stack only: no prefix of another, no other project or org", () => {
        const dev = marker("gatehouse", "acme/gatehouse/dev");
        expect(dev).toBe('<!-- gatehouse-preview project="gatehouse" stack="acme/gatehouse/dev" -->');
        for (const other of [marker("gatehouse", "acme/gatehouse/dev2"), marker("gatehouse-app", "acme/gatehouse-app/dev"), marker("gatehouse", "other/gatehouse/dev")]) {
            expect(other.includes(dev)).toBe(false);
            expect(dev.includes(other)).toBe(false);
        }
        expect(parseMarker(`${dev}\n### Pulumi preview`)).toEqual({ project: "gatehouse", stack: "acme/gatehouse/dev" });
        expect(parseMarker("some comment")).toBeUndefined();
        expect(() => marker("gatehouse", "dev")).toThrow("expected a project name and an org/project/stack name");
    });
});

import { describe, expect, it } from "vitest";
import { parsePreview, PreviewInputError, UNKNOWN, type PreviewStep } from "../../scripts/lib/preview/model";
import { parseMarker } from "../../scripts/lib/preview/marker";
import { MAX_COMMENT_LENGTH, renderComment } from "../../scripts/lib/preview/render";
import { fixture } from "./fixtures";
import { EXPECT, QUALIFIED, render, SCENARIOS } from "./scenarios";

/**
 * Comments rendered from previews the engine printed (captured by capture.test.ts; see fixtures/README.md), kept as
 * Markdown snapshots under snapshots/ so a change of format shows in review as the comment itself.
 */
describe("preview comments from captured engine output", () => {
    for (const scenario of SCENARIOS) {
        it(`${scenario}: says what it must, and matches its snapshot`, async () => {
            const comment = render(fixture(scenario));
            EXPECT[scenario](comment);
            expect(parseMarker(comment.markdown)).toEqual({ project: "gatehouse", stack: QUALIFIED });
            expect(comment.markdown.length).toBeLessThan(MAX_COMMENT_LENGTH);
            await expect(comment.markdown).toMatchFileSnapshot(`snapshots/${scenario}.md`);
        });
    }

    it("shows the stack's outputs only when asked, and masked", () => {
        const plain = render(fixture("update")).markdown;
        const shown = render(fixture("update"), true).markdown;
        expect(plain).not.toContain("Stack outputs");
        expect(shown).toContain("**Stack outputs** as they are now");
        expect(shown).toContain('"DATABASE_URL": "[secret]"');
        expect(shown).toContain('"OIDC_CLIENT_ID": "pv-dev"');
    });
});

/** A synthetic preview of `n` users created and `n` deleted: the shape is the engine's, the size is not. */
function bigPreview(n: number): string {
    const user = (i: number, op: string): PreviewStep => {
        const urn = `urn:pulumi:pvdev::gatehouse::gatehouse:authentik:AuthentikDirectory$pulumi-nodejs:dynamic/authentik:User::gatehouse-directory-user-${op}-${i}`;
        const state = {
            urn,
            type: "pulumi-nodejs:dynamic/authentik:User",
            custom: true,
            inputs: { username: `${op}-user-${i}`, name: `User ${i}`, email: `u${i}@example.test`, groups: [UNKNOWN], password: "[secret]", path: "users/pv-dev-test", url: "https://auth.example" },
        };
        return op === "new" ? { op: "create", urn, newState: state } : { op: "delete", urn, oldState: { ...state, id: String(i), inputs: { ...state.inputs, groups: ["8c3e7a55-7e2f-4f55-9d0f-4d3d2f1c0a11"] } } };
    };
    const steps = [
        { op: "same", urn: "urn:pulumi:pvdev::gatehouse::pulumi:pulumi:Stack::gatehouse-pvdev", oldState: { urn: "urn:pulumi:pvdev::gatehouse::pulumi:pulumi:Stack::gatehouse-pvdev", type: "pulumi:pulumi:Stack", custom: false } },
        ...Array.from({ length: n }, (_, i) => user(i, "old")),
        ...Array.from({ length: n }, (_, i) => user(i, "new")),
    ];
    return JSON.stringify({ steps, changeSummary: { create: n, delete: n, same: 40 } });
}

describe("a preview too big for one comment", () => {
    const comment = render(bigPreview(1_000));

    it("stays under 60,000 characters", () => {
        expect(comment.markdown.length).toBeLessThan(60_000);
        expect(comment.trimmed).toBe(true);
    });

    it("keeps the marker, the summary and the warnings, trimming detail from the end", () => {
        const md = comment.markdown;
        expect(parseMarker(md)).toEqual({ project: "gatehouse", stack: QUALIFIED });
        expect(md).toContain("**Plan:** 1,000 to create · 0 to update · 0 to replace · 1,000 to delete · 40 unchanged");
        expect(md).toContain("- **Deleted:** 1,000 Authentik users: `old-user-0`, `old-user-1`");
        expect(md).toContain("and 990 more — loses the account");
        // Deletions come first and are shown; the creates at the end are what is left out.
        expect(md).toContain("**delete** · Authentik user `old-user-0`");
        expect(md).not.toContain("**create** · Authentik user `new-user-999`");
    });

    it("says what it left out and how to see it", () => {
        expect(comment.markdown).toMatch(/\*\*Trimmed to stay under GitHub's comment size limit\.\*\* Left out: the property diffs of [\d,]+ resources; these resources entirely: [\d,]+ × Authentik user to /);
        expect(comment.markdown).toContain(`See everything with \`pulumi preview --diff --stack ${QUALIFIED}\`.`);
    });

    it("holds at any size limit the head fits in", () => {
        for (const maxLength of [5_000, 12_345, 30_000]) {
            const small = renderComment(parsePreview(bigPreview(300), "big"), { project: "gatehouse", stack: QUALIFIED, maxLength });
            expect(small.markdown.length).toBeLessThanOrEqual(maxLength);
            expect(small.markdown).toContain("**Plan:** 300 to create");
        }
    });
});

describe("what is not a preview", () => {
    const bad: [string, string, RegExp][] = [
        ["an empty file", "", /is empty: expected the output of `pulumi preview --json`/],
        ["text", "error: no stack named 'dev' found", /is not JSON/],
        ["other JSON", JSON.stringify({ resources: [] }), /is JSON but not a preview/],
        ["a stack export", JSON.stringify({ version: 3, deployment: { resources: [] } }), /is JSON but not a preview/],
        ["an empty preview", JSON.stringify({ steps: [], changeSummary: {} }), /is an empty preview/],
        ["steps without ops", JSON.stringify({ steps: [{ urn: "x" }] }), /a step without "op" and "urn"/],
    ];
    for (const [what, text, message] of bad) {
        it(`refuses ${what} with a clear message`, () => {
            expect(() => parsePreview(text, "dev.json")).toThrow(PreviewInputError);
            expect(() => parsePreview(text, "dev.json")).toThrow(message);
        });
    }

    it("takes a failed preview with no steps: the comment is the engine's error, secrets masked", () => {
        const failed = { steps: [], diagnostics: [{ severity: "error", message: "error: cannot connect to postgres://app:Zq8x2mWv4Lp9Ns7Rt3Ky@db:5432/app token=3f9aKd82LmQz7XwP1vRt" }] };
        const comment = render(JSON.stringify(failed));
        expect(comment.failed).toBe(true);
        expect(comment.markdown).toContain("cannot connect to postgres://app:[secret]@db:5432/app token=[secret]");
        expect(comment.markdown).not.toContain("Zq8x2mWv4Lp9Ns7Rt3Ky");
        expect(comment.markdown).not.toContain("3f9aKd82LmQz7XwP1vRt");
    });
});

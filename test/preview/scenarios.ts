import { expect } from "vitest";
import { parsePreview } from "../../scripts/lib/preview/model";
import { renderComment, type RenderedComment } from "../../scripts/lib/preview/render";

/**
 * The previews captured from the engine (test/preview/capture.test.ts) and what each comment must say. The same
 * checks run on the live capture and on the committed fixtures (render.test.ts), so a fixture never drifts from what
 * the engine prints without a test noticing.
 */
export const SCENARIOS = ["first-create", "update", "rotation", "deletion", "protected", "failed"] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** The capture stack: app `pv` in dev, so Authentik names are `pv-dev-…` and PostgreSQL names `pv_dev…`. */
export const CAPTURE_STACK = "pvdev";
export const CAPTURE_PROJECT = "gatehouse";
export const QUALIFIED = `organization/${CAPTURE_PROJECT}/${CAPTURE_STACK}`;

export function render(json: string, showOutputs = false): RenderedComment {
    return renderComment(parsePreview(json, "preview"), { project: CAPTURE_PROJECT, stack: QUALIFIED, showOutputs });
}

/** The line of the comment that starts a resource's section, and the words below it (up to the next blank line). */
export function sectionOf(markdown: string, header: string): string {
    const at = markdown.indexOf(header);
    expect(at, `no section "${header}" in:\n${markdown}`).toBeGreaterThanOrEqual(0);
    const end = markdown.indexOf("\n\n", at);
    return markdown.slice(at, end < 0 ? undefined : end);
}

export const EXPECT: Readonly<Record<Scenario, (comment: RenderedComment) => void>> = {
    "first-create": ({ markdown, failed }) => {
        expect(failed).toBe(false);
        expect(markdown).toMatch(/\*\*Plan:\*\* \d+ to create · 0 to update · 0 to replace · 0 to delete · 0 unchanged/);
        expect(markdown).not.toContain("[!WARNING]");
        expect(sectionOf(markdown, "**create** · Authentik OAuth2 provider `pv-dev`")).toContain("redirect URIs: `http://localhost:5000/oauth/callback`");
        expect(sectionOf(markdown, "**create** · Authentik user `eddie`")).toMatch(/groups: (`pv-dev-editors`, `pv-dev-org-ACR`|`pv-dev-org-ACR`, `pv-dev-editors`)/);
        expect(markdown).toContain("group binding added: `pv-dev-admins`");
    },
    update: ({ markdown }) => {
        expect(sectionOf(markdown, "**update** · Authentik OAuth2 provider `pv-dev`")).toContain("redirect URI added: `http://localhost:5000/other/callback`");
        expect(markdown).toContain("grant types: authorization_code, refresh_token → authorization_code, refresh_token, client_credentials");
        expect(sectionOf(markdown, "**update** · Authentik user `eddie`")).toContain("groups +`pv-dev-viewers`");
        // Nothing that will not change: no application, no binding.
        expect(markdown).not.toContain("Authentik application");
        expect(markdown).not.toContain("group binding");
    },
    rotation: ({ markdown }) => {
        expect(markdown).toContain("**Secret rotation:** secret `oidc-client-secret` — the new value goes to Authentik OAuth2 provider `pv-dev`");
        expect(markdown).toContain("**Secret rotation:** secret `db-app-password` — the new value goes to PostgreSQL role `pv_dev_app`");
        expect(sectionOf(markdown, "**update** · Authentik OAuth2 provider `pv-dev`")).toContain("client secret rotated (`oidc-client-secret`)");
        expect(sectionOf(markdown, "**update** · PostgreSQL role `pv_dev_app`")).toContain("password rotated (`db-app-password`)");
        expect(markdown).not.toContain("Authentik application");
        expect(markdown).not.toContain("group binding");
    },
    deletion: ({ markdown }) => {
        expect(markdown).toContain("**Deleted:** Authentik user `vic`");
        expect(markdown).toContain("**Deleted:** Authentik group binding `pv-dev-super-admins`");
        expect(markdown).toContain("group binding removed: `pv-dev-visibility-org`");
        expect(markdown).toMatch(/\*\*Plan:\*\* 0 to create · \d+ to update · 0 to replace · [1-9]\d* to delete/);
    },
    protected: ({ markdown }) => {
        expect(markdown).toContain("**Protected:** PostgreSQL database `pv_renamed` — protected, and this preview would update it");
        expect(sectionOf(markdown, "**update** · PostgreSQL database `pv_renamed`")).toContain("renamed: `pv_dev` → `pv_renamed`");
    },
    failed: ({ markdown, failed }) => {
        expect(failed).toBe(true);
        expect(markdown).toContain("> **The preview failed:**");
        expect(markdown).toMatch(/protect/i);
    },
};

import { beforeAll, describe, expect, it } from "vitest";
import { MANAGED_SCOPE_MAPPINGS } from "../../seed";
import { evaluateScopeMapping } from "./evaluate";
import { buildFixture, type Fixture } from "./fixtures";

// alice: direct groups engineering and ops; both inherit staff (superuser), which inherits everyone.
describe("managed scope mappings", () => {
    let f: Fixture;
    beforeAll(() => {
        f = buildFixture();
    });

    const expected: Record<string, unknown> = {
        openid: {},
        email: { email: "alice@example.com", email_verified: false },
        // ak_groups (a deprecated alias of User.groups in 2026.x) are the direct groups only
        profile: {
            name: "Alice Example",
            given_name: "Alice Example",
            preferred_username: "alice",
            nickname: "alice",
            groups: ["engineering", "ops"],
        },
        // the emulator stores no ApplicationEntitlement, so the user has none for the bound application
        entitlements: { entitlements: [], roles: [] },
        offline_access: {},
        "goauthentik.io/api": {},
        // group_attributes(request): request is the PolicyRequest (no brand), all groups merged by name, then the
        // user's attributes; lists are appended, dicts merged; is_superuser comes from the inherited staff group
        ak_proxy: {
            ak_proxy: {
                user_attributes: {
                    tags: ["eng", "ops", "staff", "alice"],
                    nested: { b: 2, a: 1 },
                    shell: "/bin/zsh",
                    company: "Example",
                    portal: "https://portal.example",
                },
                is_superuser: true,
            },
        },
    };

    it("covers every seeded managed mapping", () => {
        expect(MANAGED_SCOPE_MAPPINGS.map((m) => m.scope_name).sort()).toEqual(Object.keys(expected).sort());
    });

    for (const scope of Object.keys(expected)) {
        it(`${scope} returns what authentik returns`, async () => {
            const mapping = f.managed(scope);
            expect(await evaluateScopeMapping(mapping, f.context)).toStrictEqual(expected[scope]);
        });
    }

    it("entitlements fail as in authentik when the provider has no application", async () => {
        f.db.applications.delete(f.application.pk);
        try {
            await expect(evaluateScopeMapping(f.managed("entitlements"), f.context)).rejects.toMatchObject({
                kind: "exception",
                pythonType: "RelatedObjectDoesNotExist",
                message:
                    'scope mapping "authentik default OAuth Mapping: Application Entitlements": ' +
                    "RelatedObjectDoesNotExist: OAuth2Provider has no application.",
                skippedByAuthentik: true,
            });
        } finally {
            f.db.applications.set(f.application.pk, f.application);
        }
    });
});

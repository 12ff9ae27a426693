import { describe, expect, it } from "vitest";
import { selectedSecrets, UsageError } from "../../scripts/rotate";

describe("npm run rotate: which secrets", () => {
    it("--all leaves out the secrets a running Authentik reads, unless --include-authentik", () => {
        expect(selectedSecrets([], true, false)).toEqual(["app-secret-key", "db-owner-password", "db-app-password", "oidc-client-secret", "test-user-passwords"]);
        expect(selectedSecrets([], true, true)).toHaveLength(9);
    });

    it("takes named secrets as they are, Authentik's included, and refuses unknown names listing the valid ones", () => {
        expect(selectedSecrets(["authentik-secret-key"], false, false)).toEqual(["authentik-secret-key"]);
        expect(() => selectedSecrets(["oidc-secret"], false, false)).toThrow(UsageError);
        expect(() => selectedSecrets([], false, false)).toThrow("name at least one secret, or --all");
    });
});

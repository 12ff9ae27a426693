import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { brandingAsset, brandingCss, BRANDING_DIR } from "./branding";
import { groupNames, resolveUserGroups } from "./directory";
import { issuerUrl, validateOidcAppArgs, type AuthentikOidcAppArgs } from "./oidc-app";
import { mediaNameProblem } from "./media-file";

describe("brand files", () => {
    it("passes URLs and Authentik's static paths through", () => {
        expect(brandingAsset("https://cdn.example.com/logo.svg", BRANDING_DIR, "acme", "logo")).toEqual({ kind: "reference", value: "https://cdn.example.com/logo.svg" });
        expect(brandingAsset("/static/dist/assets/icons/icon.png", BRANDING_DIR, "acme", "favicon")).toEqual({ kind: "reference", value: "/static/dist/assets/icons/icon.png" });
    });

    it("names a file from branding/ by its content, with a name Authentik's media storage accepts", () => {
        const dir = mkdtempSync(join(tmpdir(), "branding-"));
        writeFileSync(join(dir, "logo.svg"), "<svg>one</svg>");
        const one = brandingAsset("logo.svg", dir, "acme", "logo");
        writeFileSync(join(dir, "logo.svg"), "<svg>two</svg>");
        const two = brandingAsset("logo.svg", dir, "acme", "logo");
        expect(one.kind === "file" && one.name).toMatch(/^gatehouse\/acme-logo-[0-9a-f]{12}\.svg$/);
        expect(one).not.toEqual(two);
        if (one.kind === "file") {
            expect(mediaNameProblem(one.name)).toBeUndefined();
            expect(one.mimeType).toBe("image/svg+xml");
        }
    });

    it("ships a real logo, favicon and stylesheet", () => {
        for (const file of ["logo.svg", "favicon.svg"]) {
            const asset = brandingAsset(file, BRANDING_DIR, "acme", "logo");
            expect(asset.kind === "file" && Buffer.from(asset.content, "base64").toString()).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
        }
        expect(brandingCss("custom.css", BRANDING_DIR)).toContain(":root");
    });

    it("names the setting and the directory when a file is missing or outside branding/", () => {
        expect(() => brandingAsset("nope.svg", BRANDING_DIR, "acme", "logo")).toThrow(`authentik.brand.logo: no file "nope.svg" in ${BRANDING_DIR}`);
        expect(() => brandingCss("../package.json", BRANDING_DIR)).toThrow(`authentik.brand.css: "../package.json" must be a file in ${BRANDING_DIR} or an http(s) URL`);
        expect(() => brandingAsset("custom.css", BRANDING_DIR, "acme", "logo")).toThrow(/is not an image Authentik serves/);
    });

    it("refuses media names Authentik would refuse", () => {
        expect(mediaNameProblem("../x.svg")).toBeDefined();
        expect(mediaNameProblem("data:image/svg+xml;base64,AAAA")).toBeDefined();
        expect(mediaNameProblem("gatehouse/acme-logo-0123456789ab.svg")).toBeUndefined();
    });
});

describe("directory args", () => {
    const names = groupNames("acme", ["ACR"]);

    it("names every group <prefix>-<role>", () => {
        expect(Object.values(names)).toEqual([
            "acme-super-admins",
            "acme-admins",
            "acme-editors",
            "acme-viewers",
            "acme-visibility-org",
            "acme-visibility-assigned",
            "acme-org-ACR",
        ]);
    });

    it("accepts role suffixes and full group names for test users, and lists the valid ones otherwise", () => {
        expect(resolveUserGroups("eddie", ["editors", "acme-org-ACR"], names)).toEqual(["editors", "org-ACR"]);
        expect(() => resolveUserGroups("eddie", ["authors"], names)).toThrow(/user "eddie" names unknown group "authors"; expected one of: super-admins, admins/);
    });
});

describe("OIDC app args", () => {
    const args: AuthentikOidcAppArgs = {
        url: "https://auth.example.com/",
        slug: "acme",
        displayName: "Acme",
        clientId: "acme-qa",
        clientSecret: "s",
        redirectUris: ["https://acme.example.com/oauth/callback"],
        logoutRedirectUris: ["https://acme.example.com/"],
        grantTypes: ["authorization_code", "refresh_token"],
        launchUrl: "https://acme.example.com",
        flows: { authorization: "a", invalidation: "i" },
        signingKey: "authentik Self-signed Certificate",
        accessCodeValidity: "minutes=1",
        accessTokenValidity: "minutes=5",
        refreshTokenValidity: "days=30",
        subMode: "hashed_user_id",
        includeClaimsInIdToken: true,
        policyEngineMode: "any",
    };

    it("derives the issuer from the Authentik URL and the slug", () => {
        expect(issuerUrl("https://auth.example.com/", args.slug)).toBe("https://auth.example.com/application/o/acme/");
    });

    it("refuses a provider without signing key or with a wildcard redirect URI before declaring anything", () => {
        expect(() => validateOidcAppArgs({ ...args, signingKey: " ", redirectUris: ["https://*.example.com/cb"] })).toThrow(
            'AuthentikOidcApp "acme":\n  signingKey: a signing key is required (clients expect RS256; without one Authentik signs HS256)\n  redirectUris: "https://*.example.com/cb" has a wildcard; list each URI exactly',
        );
    });
});

import type { OAuth2Provider as RemoteProvider } from "@goauthentik/api";
import { describe, expect, it } from "vitest";
import { oauth2ProviderKind } from "./oauth2-provider";

const desired = oauth2ProviderKind.normalize({
    name: "acme-dev",
    clientId: "acme-dev",
    clientSecret: "s",
    redirectUris: ["https://acme.example/oauth/callback"],
    logoutRedirectUris: ["https://acme.example/"],
    authorizationFlow: "a",
    invalidationFlow: "i",
    signingKey: "k",
});

const remote = (entries: RemoteProvider["redirectUris"], grantTypes: RemoteProvider["grantTypes"] = []) =>
    ({ name: "acme-dev", redirectUris: entries, grantTypes, authorizationFlow: "a", invalidationFlow: "i", propertyMappings: [] }) as unknown as RemoteProvider;

describe("OAuth2 provider request", () => {
    it("sends the grant types and both kinds of redirect URI on create", () => {
        const body = oauth2ProviderKind.request(desired, undefined);
        expect(body.grantTypes).toEqual(["authorization_code", "refresh_token"]);
        expect(body.redirectUris).toEqual([
            { matchingMode: "strict", url: "https://acme.example/oauth/callback", redirectUriType: "authorization" },
            { matchingMode: "strict", url: "https://acme.example/", redirectUriType: "logout" },
        ]);
    });

    it("a change to the logout URIs keeps the authorization URIs the server holds, and the other way round", () => {
        const server = remote([
            { matchingMode: "strict", url: "https://acme.example/oauth/callback", redirectUriType: "authorization" },
            { matchingMode: "strict", url: "https://old.example/", redirectUriType: "logout" },
        ]);
        expect(oauth2ProviderKind.request({ logoutRedirectUris: ["https://acme.example/"] }, server).redirectUris).toEqual([
            { matchingMode: "strict", url: "https://acme.example/oauth/callback", redirectUriType: "authorization" },
            { matchingMode: "strict", url: "https://acme.example/", redirectUriType: "logout" },
        ]);
        expect(oauth2ProviderKind.request({ redirectUris: ["https://acme.example/cb2"] }, server).redirectUris).toEqual([
            { matchingMode: "strict", url: "https://acme.example/cb2", redirectUriType: "authorization" },
            { matchingMode: "strict", url: "https://old.example/", redirectUriType: "logout" },
        ]);
    });

    it("reads an adopted provider's every grant and URI, so converging sends exactly ours", () => {
        const adopted = remote(
            [
                { matchingMode: "regex", url: "https://.*", redirectUriType: "authorization" },
                { matchingMode: "strict", url: "https://acme.example/", redirectUriType: "logout" },
            ],
            ["authorization_code", "implicit", "password", "refresh_token"],
        );
        const observed = oauth2ProviderKind.observe(adopted, desired);
        expect(observed.grantTypes).toEqual(["authorization_code", "implicit", "password", "refresh_token"]);
        expect(observed.redirectUris).toEqual(["authorization regex https://.*"]);
        expect(observed.logoutRedirectUris).toEqual(["https://acme.example/"]);
    });

    it("defaults to the browser grants and sub = the user's UUID; refuses a provider without grants", () => {
        expect(desired.grantTypes).toEqual(["authorization_code", "refresh_token"]);
        expect(desired.subMode).toBe("user_uuid");
        expect(oauth2ProviderKind.validate?.({ ...desired, grantTypes: [] }).map((f) => f.property)).toEqual(["grantTypes"]);
    });
});

/**
 * The official, unchanged @goauthentik/api client against the emulator.
 */
import {
    ClientTypeEnum,
    Configuration,
    CoreApi,
    CryptoApi,
    FlowsApi,
    MatchingModeEnum,
    PropertymappingsApi,
    ProvidersApi,
    ResponseError,
} from "@goauthentik/api";
import { beforeAll, describe, expect, it } from "vitest";
import { useEmulator } from "./fixture";

const ak = useEmulator("client-token");
let config: Configuration;

beforeAll(() => {
    config = new Configuration({ basePath: `${ak.url}/api/v3`, accessToken: "client-token" });
});

describe("@goauthentik/api 2026.8.3 against the emulator", () => {
    it("creates a provider and an application, reads them back, updates and deletes them", async () => {
        const flows = new FlowsApi(config);
        const providers = new ProvidersApi(config);
        const core = new CoreApi(config);
        const mappings = new PropertymappingsApi(config);
        const crypto = new CryptoApi(config);

        const authz = await flows.flowsInstancesList({ slug: "default-provider-authorization-implicit-consent" });
        expect(authz.pagination.count).toBe(1);
        const authorizationFlow = authz.results[0]!.pk;
        const invalidationFlow = (await flows.flowsInstancesRetrieve({ slug: "default-provider-invalidation-flow" })).pk;

        const scopes = await mappings.propertymappingsProviderScopeList({
            managed: [
                "goauthentik.io/providers/oauth2/scope-openid",
                "goauthentik.io/providers/oauth2/scope-email",
                "goauthentik.io/providers/oauth2/scope-profile",
            ],
        });
        expect(scopes.results.map((s) => s.scopeName).sort()).toEqual(["email", "openid", "profile"]);

        const certs = await crypto.cryptoCertificatekeypairsList({ hasKey: true, name: "authentik Self-signed Certificate" });
        expect(certs.results).toHaveLength(1);
        expect(certs.results[0]!.certExpiry).toBeInstanceOf(Date);

        const provider = await providers.providersOauth2Create({
            oAuth2ProviderRequest: {
                name: "rediflow",
                authorizationFlow,
                invalidationFlow,
                clientType: ClientTypeEnum.Confidential,
                redirectUris: [{ matchingMode: MatchingModeEnum.Strict, url: "https://rediflow.example.com/auth/callback" }],
                propertyMappings: scopes.results.map((s) => s.pk),
                signingKey: certs.results[0]!.pk,
            },
        });
        expect(provider.clientId).toHaveLength(40);
        expect(provider.clientSecret).toHaveLength(128);

        const app = await core.coreApplicationsCreate({
            applicationRequest: { name: "Rediflow", slug: "rediflow", provider: provider.pk },
        });
        expect(app.providerObj?.name).toBe("rediflow");
        expect((await core.coreApplicationsRetrieve({ slug: "rediflow" })).provider).toBe(provider.pk);

        const urls = await providers.providersOauth2SetupUrlsRetrieve({ id: provider.pk });
        expect(urls.issuer).toBe(`${ak.url}/application/o/rediflow/`);

        const patched = await providers.providersOauth2PartialUpdate({
            id: provider.pk,
            patchedOAuth2ProviderRequest: { accessTokenValidity: "minutes=10" },
        });
        expect(patched.accessTokenValidity).toBe("minutes=10");
        expect(patched.clientSecret).toBe(provider.clientSecret);

        const group = await core.coreGroupsCreate({ groupRequest: { name: "rediflow-users", attributes: { app: "rediflow" } } });
        const user = await core.coreUsersCreate({
            userRequest: { username: "tester", name: "Tester", email: "tester@example.com", groups: [group.pk], path: "users/test" },
        });
        await core.coreUsersSetPasswordCreate({ id: user.pk, userPasswordSetRequest: { password: "correct horse" } });
        expect(ak.checkPassword("tester", "correct horse")).toBe(true);
        expect((await core.coreUsersList({ username: "tester" })).results[0]!.groupsObj?.[0]?.name).toBe("rediflow-users");

        const brands = await core.coreBrandsList({ _default: true });
        expect(brands.results[0]!.domain).toBe("authentik-default");

        await core.coreApplicationsDestroy({ slug: "rediflow" });
        await providers.providersOauth2Destroy({ id: provider.pk });
        await expect(providers.providersOauth2Retrieve({ id: provider.pk })).rejects.toBeInstanceOf(ResponseError);
        expect(ak.violations).toEqual([]);
    });

    it("surfaces DRF validation errors and 403s as ResponseError", async () => {
        const core = new CoreApi(config);
        await core.coreApplicationsCreate({ applicationRequest: { name: "A", slug: "a" } });
        const dup = await core.coreApplicationsCreate({ applicationRequest: { name: "A", slug: "a" } }).catch((e: unknown) => e);
        expect(dup).toBeInstanceOf(ResponseError);
        const response = (dup as ResponseError).response;
        expect(response.status).toBe(400);
        expect(await response.json()).toEqual({ slug: ["Application with this slug already exists."] });

        const wrong = new CoreApi(new Configuration({ basePath: `${ak.url}/api/v3`, accessToken: "wrong" }));
        const denied = await wrong.coreApplicationsList({}).catch((e: unknown) => e);
        expect((denied as ResponseError).response.status).toBe(403);
        expect(await (denied as ResponseError).response.json()).toEqual({ detail: "Token invalid/expired" });
    });

    it("works with a Bearer header instead of accessToken", async () => {
        const headerConfig = new Configuration({ basePath: `${ak.url}/api/v3`, headers: { Authorization: "Bearer client-token" } });
        const users = await new CoreApi(headerConfig).coreUsersList({ username: "akadmin" });
        expect(users.results[0]!.isSuperuser).toBe(true);
    });
});

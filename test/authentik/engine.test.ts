import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RawClient } from "../../testbed/authentik/testing";
import { TOKEN_ENV } from "../../infra/authentik/core/connection";
import { engineVersion, PulumiStack } from "../../scripts/lib/pulumi-cli";
import { FIXTURE_DIR, FIXTURE_PROJECT } from "./engine-stack";
import { faultyProxy, startAuthentik, TOKEN, type TestAuthentik } from "./harness";

/**
 * The Authentik resources through the real Pulumi engine (test/authentik/engine-fixture, both components) against
 * an in-process emulator: up, a preview with no changes, drift made through the API reported by refresh, a password
 * change, an object created but never recorded, destroy leaving only the seeded objects. The CLI runs without the
 * token in its environment: the dynamic providers read `authentik.token` from stack config.
 */

const CLIENT_SECRET = "fixture-client-secret-7d41b0a9e2c35f68";
const PASSWORDS = { alice: "alice-Passw0rd-e2e", eddie: "eddie-Passw0rd-e2e" };

/** What Authentik holds, by kind: the names of every object (sorted). */
async function inventory(api: RawClient): Promise<Record<string, string[]>> {
    const names = async (path: string, field: string) => {
        const res = await api.get(`${path}?page_size=1000`);
        return (res.body.results as Record<string, unknown>[]).map((o) => String(o[field])).sort();
    };
    return {
        groups: await names("/core/groups/", "name"),
        users: await names("/core/users/", "username"),
        brands: await names("/core/brands/", "domain"),
        applications: await names("/core/applications/", "slug"),
        providers: await names("/providers/oauth2/", "name"),
        scopeMappings: await names("/propertymappings/provider/scope/", "name"),
    };
}

/** Polls until `check` holds (at most 60 s). */
async function until(check: () => Promise<boolean>): Promise<void> {
    for (let waited = 0; !(await check()); waited += 100) {
        if (waited > 60_000) throw new Error("timed out waiting");
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
}

/** The step `pulumi … --diff` printed for the resource whose URN ends with `::<name>` (create, update, delete, …). */
function stepOf(output: string, name: string): string | undefined {
    const lines = output.split("\n");
    const at = lines.findIndex((line) => line.includes(`::${name}]`));
    for (let i = at - 1; i >= Math.max(0, at - 2); i--) {
        const step = /: \((\w[\w-]*)\)$/.exec(lines[i] ?? "");
        if (step) return step[1];
    }
    return undefined;
}

describe("Authentik resources through the real engine", () => {
    let ak: TestAuthentik;
    let proxy: Awaited<ReturnType<typeof faultyProxy>>;
    let stack: PulumiStack;
    let seeded: Record<string, string[]>;

    beforeAll(async () => {
        console.log(`[e2e] engine ${engineVersion()}`);
        ak = await startAuthentik();
        seeded = await inventory(ak.api);
        // The stack talks to Authentik through a proxy that passes everything unless a test injects a fault.
        proxy = await faultyProxy(ak.url);
        // The token is kept out of the CLI's environment: the providers must take it from stack config.
        stack = await PulumiStack.create(
            "e2e",
            { authentik: { url: proxy.url, prefix: "fixture", title: "Fixture", redirectUri: "http://localhost:5000/oauth/callback", orgs: ["ACR"] } },
            { "authentik.token": TOKEN, clientSecret: CLIENT_SECRET, alicePassword: PASSWORDS.alice, eddiePassword: PASSWORDS.eddie },
            { cwd: FIXTURE_DIR, project: FIXTURE_PROJECT, unsetEnv: [TOKEN_ENV] },
        );
    });

    afterAll(async () => {
        await stack?.remove();
        await proxy?.stop();
        await ak?.emulator.stop();
    });

    const group = async (name: string) => {
        const res = await ak.api.get(`/core/groups/?name=${encodeURIComponent(name)}`);
        return res.body.results as { pk: string; name: string }[];
    };

    /** Names of the groups bound to the fixture's application (who may open it). */
    const boundGroups = async () => {
        const app = (await ak.api.get("/core/applications/fixture/")).body as { pk: string };
        const bindings = (await ak.api.get(`/policies/bindings/?target=${app.pk}`)).body.results as { group_obj: { name: string } | null }[];
        return bindings.map((b) => b.group_obj?.name ?? "(not a group)").sort();
    };

    it("pulumi up creates the OIDC application, groups, brand and test users", async () => {
        await stack.up();
        const now = await inventory(ak.api);
        expect(now.groups).toEqual(
            [...seeded.groups!, "fixture-admins", "fixture-editors", "fixture-org-ACR", "fixture-super-admins", "fixture-viewers", "fixture-visibility-assigned", "fixture-visibility-org"].sort(),
        );
        expect(now.users).toEqual([...seeded.users!, "alice", "eddie"].sort());
        expect(now.brands).toEqual([...seeded.brands!, "auth.fixture.test"].sort());
        expect(now.applications).toEqual(["fixture"]);
        expect(now.providers).toEqual(["fixture-test"]);
        expect(now.scopeMappings).toEqual([...seeded.scopeMappings!, "fixture-test-groups", "fixture-test-profile"].sort());
        expect(await boundGroups()).toEqual(["fixture-admins", "fixture-editors"]);

        const provider = (await ak.api.get("/providers/oauth2/?name=fixture-test")).body.results[0];
        expect(provider).toMatchObject({ client_id: "fixture-test", client_secret: CLIENT_SECRET, client_type: "confidential", assigned_application_slug: "fixture" });
        expect(provider.signing_key).toEqual(expect.any(String));
        expect(ak.emulator.checkPassword("alice", PASSWORDS.alice)).toBe(true);
        expect(ak.emulator.checkPassword("eddie", PASSWORDS.eddie)).toBe(true);

        const outputs = await stack.outputs(true);
        expect(outputs).toMatchObject({ issuerUrl: `${proxy.url}/application/o/fixture/`, clientId: "fixture-test", clientSecret: CLIENT_SECRET });
        expect((await stack.outputs(false)).clientSecret).toBe("[secret]");
    });

    it("the OIDC discovery document of the issuer answers", async () => {
        const outputs = await stack.outputs();
        const res = await fetch(`${String(outputs.issuerUrl)}.well-known/openid-configuration`);
        expect(res.status).toBe(200);
        expect(((await res.json()) as { issuer: string }).issuer).toBe(outputs.issuerUrl);
    });

    const expectNoPlaintextSecrets = async () => {
        const text = await stack.exportText();
        for (const secret of [CLIENT_SECRET, PASSWORDS.alice, PASSWORDS.eddie, "alice-New-Passw0rd", TOKEN]) expect(text).not.toContain(secret);
    };

    it("keeps the client secret and passwords encrypted in state, and the token out of it", async () => {
        await expectNoPlaintextSecrets();
        const types = (await stack.resources()).map((r) => r.type);
        expect(types).toEqual(expect.arrayContaining(["pulumi-nodejs:dynamic/authentik:OAuth2Provider", "pulumi-nodejs:dynamic/authentik:User", "pulumi-nodejs:dynamic/authentik:FlowLookup"]));
    });

    it("parents every object under its component", async () => {
        const urns = (await stack.resources()).map((r) => r.urn);
        expect(urns).toContainEqual(expect.stringMatching(/gatehouse:authentik:AuthentikOidcApp\$pulumi-nodejs:dynamic\/authentik:OAuth2Provider::fixture-oidc-provider$/));
        expect(urns).toContainEqual(expect.stringMatching(/gatehouse:authentik:AuthentikDirectory\$pulumi-nodejs:dynamic\/authentik:User::fixture-directory-user-alice$/));
    });

    it("a second preview reports no changes", async () => {
        await stack.ok("preview", "--expect-no-changes", "--diff");
    });

    it("pulumi refresh reports changes made directly through the API, and up puts them back", async () => {
        const [admins] = await group("fixture-admins");
        await ak.api.patch(`/core/groups/${admins!.pk}/`, { name: "fixture-admins-renamed-in-ui" });
        await ak.api.patch("/core/applications/fixture/", { name: "Renamed in the UI" });

        const refreshed = await stack.refresh();
        expect(refreshed.stdout).toContain("fixture-admins-renamed-in-ui");
        expect(refreshed.stdout).toContain("Renamed in the UI");
        expect(refreshed.stdout).toMatch(/~ name +: "fixture-admins" => "fixture-admins-renamed-in-ui"/);
        expect(stepOf(refreshed.stdout, "fixture-directory-group-admins")).toBe("update");
        expect(stepOf(refreshed.stdout, "fixture-oidc-application")).toBe("update");
        // The program still says otherwise: now there is something to apply.
        expect((await stack.run("preview", "--expect-no-changes")).code).not.toBe(0);

        // A refresh rewrites inputs and outputs from what the providers read: secrets must stay encrypted.
        await expectNoPlaintextSecrets();

        await stack.up();
        expect((await ak.api.get(`/core/groups/${admins!.pk}/`)).body.name).toBe("fixture-admins");
        expect((await ak.api.get("/core/applications/fixture/")).body.name).toBe("Fixture");
        await stack.ok("preview", "--expect-no-changes");
    });

    it("an object deleted in the UI is dropped by refresh and recreated by up", async () => {
        const [viewers] = await group("fixture-viewers");
        await ak.api.delete(`/core/groups/${viewers!.pk}/`);
        const refreshed = await stack.refresh();
        expect(stepOf(refreshed.stdout, "fixture-directory-group-viewers")).toBe("delete");
        await stack.up();
        expect(await group("fixture-viewers")).toHaveLength(1);
    });

    it("a new password in config is set on the user in the next up", async () => {
        await stack.ok("config", "set", "--secret", "--path", "alicePassword", "alice-New-Passw0rd");
        const result = await stack.up();
        expect(result.stdout).not.toContain("alice-New-Passw0rd");
        expect(ak.emulator.checkPassword("alice", "alice-New-Passw0rd")).toBe(true);
        expect(ak.emulator.checkPassword("eddie", PASSWORDS.eddie)).toBe(true);
        await stack.ok("preview", "--expect-no-changes");
        await stack.refresh();
        await expectNoPlaintextSecrets();
    });

    it("objects created by an interrupted up (in Authentik, not in state) are taken over, not duplicated", async () => {
        const resources = await stack.resources();
        const urn = (suffix: string) => {
            const found = resources.find((r) => r.urn.endsWith(`::${suffix}`));
            if (found === undefined) throw new Error(`no ${suffix} in state`);
            return found;
        };
        const viewers = urn("fixture-directory-group-viewers");
        const application = urn("fixture-oidc-application");
        // Forget them as a `pulumi up` killed after the API calls but before the state write would have.
        await stack.ok("state", "delete", viewers.urn, "--yes");
        // Its policy bindings depend on it and are forgotten with it: they too must be taken over, not bound twice.
        await stack.ok("state", "delete", application.urn, "--target-dependents", "--yes");

        const result = await stack.up();
        expect(stepOf(result.stdout, "fixture-directory-group-viewers")).toBe("create");
        expect(stepOf(result.stdout, "fixture-oidc-application")).toBe("create");
        expect(await group("fixture-viewers")).toEqual([expect.objectContaining({ pk: viewers.id })]);
        expect((await ak.api.get("/core/applications/?slug=fixture")).body.pagination.count).toBe(1);
        expect(await boundGroups()).toEqual(["fixture-admins", "fixture-editors"]);
        await expectNoPlaintextSecrets();
        const again = await stack.resources();
        expect(again.find((r) => r.urn === viewers.urn)?.id).toBe(viewers.id);
        await stack.ok("preview", "--expect-no-changes");
    });

    it("an up interrupted while Authentik was creating an object converges on the next up, without a duplicate", async () => {
        // The POST reaches Authentik (the group is created) but its answer never comes back; then Ctrl-C twice.
        proxy.inject(["blackhole"], (method, path) => method === "POST" && path === "/api/v3/core/groups/");
        await stack.ok("config", "set", "--path", "authentik.orgs[1]", "BCD");
        const run = stack.start("up", "--yes", "--skip-preview");
        await until(async () => (await group("fixture-org-BCD")).length === 1);
        run.child.kill("SIGINT");
        await new Promise((resolve) => setTimeout(resolve, 1000));
        run.child.kill("SIGINT");
        expect((await run.done).code).not.toBe(0);
        const [created] = await group("fixture-org-BCD");

        const result = await stack.up();
        expect(await group("fixture-org-BCD")).toEqual([expect.objectContaining({ pk: created!.pk })]);
        const inState = (await stack.resources()).find((r) => r.urn.endsWith("::fixture-directory-group-org-BCD"));
        expect(inState?.id).toBe(created!.pk);
        expect(result.stdout).not.toContain("already exists");
        // Pulumi keeps warning about the interrupted create until a refresh clears it; the object is in state already.
        const pending = async () => (JSON.parse(await stack.exportText()) as { deployment: { pending_operations?: unknown[] } }).deployment.pending_operations ?? [];
        expect(await pending()).toHaveLength(1);
        await stack.ok("refresh", "--yes", "--skip-preview", "--clear-pending-creates");
        expect(await pending()).toEqual([]);
        await stack.ok("preview", "--expect-no-changes");
    });

    it("pulumi destroy leaves only the seeded objects", async () => {
        await stack.destroy();
        expect(await inventory(ak.api)).toEqual(seeded);
        expect(await stack.resources()).toEqual([]);
    });
});

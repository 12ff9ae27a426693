/**
 * /flows/bindings/, /stages/authenticator/validate/ and /core/users/me/ as authentik 2026.8 has them (flows/api/
 * bindings.py, stages/authenticator_validate/api.py, core/api/users.py user_me), over the default blueprints' stages.
 */
import { afterAll, describe, expect, it } from "vitest";
import { startEmulator } from "../index";
import { RawClient } from "../testing";
import { useEmulator } from "../fixture";

const ak = useEmulator();
const { api } = ak;

describe("flow-stage bindings and authenticator validation stages", () => {
    it("lists the default authentication flow's stages in order, the MFA validation stage letting users without devices through", async () => {
        const flow = (await api.get("/flows/instances/default-authentication-flow/")).body;
        const bindings = await api.get(`/flows/bindings/?target=${flow.pk}&ordering=order`);
        expect(bindings.status).toBe(200);
        const stages = bindings.body.results.map((b: { order: number; stage_obj: { name: string; component: string } }) => [b.order, b.stage_obj.name]);
        expect(stages).toEqual([
            [10, "default-authentication-identification"],
            [20, "default-authentication-password"],
            [30, "default-authentication-mfa-validation"],
            [100, "default-authentication-login"],
        ]);
        const mfa = bindings.body.results[2].stage_obj;
        expect(mfa).toMatchObject({ component: "ak-stage-authenticator-validate-form", verbose_name: "Authenticator Validation Stage", meta_model_name: "authentik_stages_authenticator_validate.authenticatorvalidatestage" });
        const stage = await api.get(`/stages/authenticator/validate/${mfa.pk}/`);
        expect(stage.body).toMatchObject({ name: "default-authentication-mfa-validation", not_configured_action: "skip", device_classes: ["static", "totp", "webauthn", "duo", "sms", "email"], configuration_stages: [] });
        expect(stage.body.flow_set.map((f: { slug: string }) => f.slug)).toEqual(["default-authentication-flow"]);
    });

    it("changes not_configured_action, refusing configure without a configuration stage", async () => {
        const list = await api.get("/stages/authenticator/validate/?name=default-authentication-mfa-validation");
        const pk = list.body.results[0].pk as string;
        const refused = await api.patch(`/stages/authenticator/validate/${pk}/`, { not_configured_action: "configure" });
        expect(refused.status).toBe(400);
        expect(refused.body).toEqual({ not_configured_action: ['When "Not configured action" is set to "Configure", you must set a configuration stage.'] });
        const denied = await api.patch(`/stages/authenticator/validate/${pk}/`, { not_configured_action: "deny" });
        expect(denied.status).toBe(200);
        expect((await api.get(`/stages/authenticator/validate/?not_configured_action=deny`)).body.results.map((s: { pk: string }) => s.pk)).toEqual([pk]);
    });
});

describe("/core/users/me/", () => {
    const extra: { stop(): Promise<void> }[] = [];
    afterAll(async () => {
        for (const e of extra) await e.stop();
    });

    it("is akadmin, a superuser through authentik Admins, for the bootstrap token", async () => {
        const me = await api.get("/core/users/me/");
        expect(me.status).toBe(200);
        expect(me.body.user).toMatchObject({ username: "akadmin", is_superuser: true, groups: [{ name: "authentik Admins" }] });
    });

    it("is a service account in no group when the emulator's token belongs to one", async () => {
        const other = await startEmulator({ token: "service-token", tokenUser: "gatehouse-provisioner" });
        extra.push(other);
        const me = await new RawClient(other.url, other.token).get("/core/users/me/");
        expect(me.body.user).toMatchObject({ username: "gatehouse-provisioner", is_superuser: false, type: "service_account", groups: [] });
    });
});

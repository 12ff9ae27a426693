/**
 * Admins pass an MFA stage when they sign in: the authentication flow the provider's users go through (the
 * provider's own, else the brand's for Authentik's host, else the default brand's) binds an authenticator
 * validation stage, without policies that could skip it, whose `not_configured_action` is not `skip`.
 */
import { fail, pass, type Verdict } from "../types";
import type { Json } from "./authentik-api";
import type { AuthentikFacts } from "./authentik";

const VALIDATE = "authentik_stages_authenticator_validate.authenticatorvalidatestage";

async function authenticationFlow(facts: AuthentikFacts): Promise<Json | undefined> {
    const provider = await facts.provider();
    let pk = typeof provider?.authentication_flow === "string" ? provider.authentication_flow : undefined;
    if (pk === undefined) {
        const host = new URL(facts.config.authentik.url).hostname;
        const brands = await facts.api.list("/core/brands/");
        const brand = brands.find((b) => b.domain === host) ?? brands.find((b) => b.default === true);
        pk = typeof brand?.flow_authentication === "string" ? brand.flow_authentication : undefined;
    }
    if (pk === undefined) return undefined;
    return (await facts.api.list(`/flows/instances/?flow_uuid=${pk}`))[0];
}

export async function adminMfa(facts: AuthentikFacts): Promise<Verdict> {
    const flow = await authenticationFlow(facts);
    if (!flow) return fail("no authentication flow found for the provider or the brand");
    const bindings = await facts.api.list(`/flows/bindings/?target=${String(flow.pk)}&ordering=order`);
    const validations = bindings.filter((b) => (b.stage_obj as { meta_model_name?: string } | undefined)?.meta_model_name === VALIDATE);
    if (validations.length === 0) return fail(`flow ${String(flow.slug)} has no MFA validation stage`);
    const problems: string[] = [];
    for (const binding of validations) {
        const stage = await facts.api.get(`/stages/authenticator/validate/${String(binding.stage)}/`);
        const where = `flow ${String(flow.slug)}, stage ${String(stage.name)} (order ${String(binding.order)})`;
        const conditional = (await facts.api.list(`/policies/bindings/?target=${String(binding.pk)}`)).length > 0;
        if (stage.not_configured_action === "skip") problems.push(`${where}: not_configured_action skip lets users without an authenticator through`);
        else if (((stage.device_classes as unknown[] | undefined) ?? []).length === 0) problems.push(`${where}: no device classes allowed`);
        else if (conditional) problems.push(`${where}: bound with policies that may skip it`);
        else return pass(`${where}: not_configured_action ${String(stage.not_configured_action)}`);
    }
    return fail(problems.join("; "));
}

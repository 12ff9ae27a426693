/**
 * The models a blueprint may name, as authentik's blueprint registry knows them (`<app_label>.<model_name>`, see
 * authentik's blueprints/schema.json), mapped to the emulator's kinds: an entry is saved through the same
 * validation as the REST API's serializer, with the request schemas of authentik 2026.8.3. Only models Gatehouse
 * uses are emulated; flows and certificate key pairs only for `!Find`.
 */
import type { Db } from "../core/db";
import type { Kind, Pk } from "../core/kind";
import { applicationKind } from "../kinds/applications";
import { brandKind } from "../kinds/brands";
import { certificateKind } from "../kinds/certificates";
import { flowKind } from "../kinds/flows";
import { groupKind } from "../kinds/groups";
import { policyBindingKind } from "../kinds/policyBindings";
import { providerKind } from "../kinds/providers";
import { scopeMappingKind } from "../kinds/scopeMappings";
import { userKind } from "../kinds/users";

export interface BlueprintModel {
    readonly kind: Kind<{ pk: Pk }>;
    /** Request schema components for a create and for a partial update of an existing instance; none: !Find only. */
    readonly schemas?: { readonly create: string; readonly update: string };
    /**
     * Fields a serializer takes only in a blueprint context (SERIALIZER_CONTEXT_BLUEPRINT): a user's `password`
     * (UserSerializer.__init__ adds it; create and update call `set_password`).
     */
    readonly blueprintOnly?: readonly string[];
}

const erase = <R extends { pk: Pk }>(kind: Kind<R>) => kind as unknown as Kind<{ pk: Pk }>;

export function blueprintModels(db: Db): ReadonlyMap<string, BlueprintModel> {
    const saved = (kind: Kind<{ pk: Pk }>, component: string, extra: Partial<BlueprintModel> = {}): BlueprintModel => ({ kind, schemas: { create: `${component}Request`, update: `Patched${component}Request` }, ...extra });
    return new Map<string, BlueprintModel>([
        ["authentik_core.group", saved(erase(groupKind(db)), "Group")],
        ["authentik_core.user", saved(erase(userKind(db)), "User", { blueprintOnly: ["password"] })],
        ["authentik_core.application", saved(erase(applicationKind(db)), "Application")],
        ["authentik_brands.brand", saved(erase(brandKind(db)), "Brand")],
        ["authentik_providers_oauth2.oauth2provider", saved(erase(providerKind(db)), "OAuth2Provider")],
        ["authentik_providers_oauth2.scopemapping", saved(erase(scopeMappingKind(db)), "ScopeMapping")],
        ["authentik_policies.policybinding", saved(erase(policyBindingKind(db)), "PolicyBinding")],
        ["authentik_flows.flow", { kind: erase(flowKind(db)) }],
        ["authentik_crypto.certificatekeypair", { kind: erase(certificateKind(db)) }],
    ]);
}

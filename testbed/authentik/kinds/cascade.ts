/**
 * What deleting a referenced object does to the objects that reference it, following
 * the on_delete rules of authentik's models:
 * - Provider.authorization_flow: CASCADE (core/models.py: "Set to cascade even though
 *   null is allowed"); authentication_flow: SET_NULL; invalidation_flow: SET_DEFAULT (None).
 * - Application.provider: OneToOne, SET_DEFAULT (None).
 * - Provider.backchannel_application: CASCADE.
 * - OAuth2Provider.signing_key / encryption_key: SET_NULL (providers/oauth2/models.py).
 * - Provider.property_mappings, OAuth2Provider.jwt_federation_providers, Group.parents
 *   (GroupParentageNode rows CASCADE), User.groups, Brand.client_certificates:
 *   many-to-many rows are removed.
 * - Brand.flow_*: SET_NULL; Brand.web_certificate and default_application: SET_DEFAULT (None)
 *   (brands/models.py).
 * - PolicyBinding.target, .group, .user: CASCADE (policies/models.py); the target is any
 *   PolicyBindingModel (here: an application or a flow).
 */
import {
    BRAND_FLOW_FIELDS,
    type ApplicationRecord,
    type CertificateRecord,
    type Db,
    type FlowRecord,
    type GroupRecord,
    type ProviderRecord,
    type ScopeMappingRecord,
    type UserRecord,
    type BrandRecord,
    type PolicyBindingRecord,
} from "../core/db";

export function deletePolicyBinding(db: Db, binding: PolicyBindingRecord): void {
    db.policyBindings.delete(binding.pk);
}

/** PolicyBinding.target / .group / .user: on_delete=CASCADE */
function deleteBindingsWhere(db: Db, matches: (binding: PolicyBindingRecord) => boolean): void {
    for (const binding of [...db.policyBindings.values()]) if (matches(binding)) deletePolicyBinding(db, binding);
}

export function deleteFlow(db: Db, flow: FlowRecord): void {
    for (const provider of [...db.providers.values()]) {
        if (provider.authorization_flow === flow.pk) {
            deleteProvider(db, provider);
            continue;
        }
        if (provider.authentication_flow === flow.pk) provider.authentication_flow = null;
        if (provider.invalidation_flow === flow.pk) provider.invalidation_flow = null;
    }
    for (const brand of db.brands.values()) {
        for (const field of BRAND_FLOW_FIELDS) if (brand[field] === flow.pk) brand[field] = null;
    }
    deleteBindingsWhere(db, (b) => b.target === flow.pk);
    // FlowStageBinding.target: CASCADE
    for (const binding of [...db.flowStageBindings.values()]) if (binding.target === flow.pk) db.flowStageBindings.delete(binding.pk);
    db.flows.delete(flow.pk);
}

export function deleteProvider(db: Db, provider: ProviderRecord): void {
    for (const app of db.applications.values()) if (app.provider === provider.pk) app.provider = null;
    for (const other of db.providers.values()) {
        other.jwt_federation_providers = other.jwt_federation_providers.filter((pk) => pk !== provider.pk);
    }
    db.providers.delete(provider.pk);
}

export function deleteApplication(db: Db, app: ApplicationRecord): void {
    for (const provider of [...db.providers.values()]) {
        if (provider.backchannel_application === app.pk) deleteProvider(db, provider);
    }
    for (const brand of db.brands.values()) if (brand.default_application === app.pk) brand.default_application = null;
    deleteBindingsWhere(db, (b) => b.target === app.pk);
    db.applications.delete(app.pk);
}

export function deleteCertificate(db: Db, cert: CertificateRecord): void {
    for (const provider of db.providers.values()) {
        if (provider.signing_key === cert.pk) provider.signing_key = null;
        if (provider.encryption_key === cert.pk) provider.encryption_key = null;
    }
    for (const brand of db.brands.values()) {
        if (brand.web_certificate === cert.pk) brand.web_certificate = null;
        brand.client_certificates = brand.client_certificates.filter((pk) => pk !== cert.pk);
    }
    db.certificates.delete(cert.pk);
}

export function deleteScopeMapping(db: Db, mapping: ScopeMappingRecord): void {
    for (const provider of db.providers.values()) {
        provider.property_mappings = provider.property_mappings.filter((pk) => pk !== mapping.pk);
    }
    db.scopeMappings.delete(mapping.pk);
}

export function deleteGroup(db: Db, group: GroupRecord): void {
    for (const user of db.users.values()) user.groups = user.groups.filter((pk) => pk !== group.pk);
    for (const other of db.groups.values()) other.parents = other.parents.filter((pk) => pk !== group.pk);
    deleteBindingsWhere(db, (b) => b.group === group.pk);
    db.groups.delete(group.pk);
}

export function deleteUser(db: Db, user: UserRecord): void {
    deleteBindingsWhere(db, (b) => b.user === user.pk);
    db.users.delete(user.pk);
}

export function deleteBrand(db: Db, brand: BrandRecord): void {
    db.brands.delete(brand.pk);
}

/**
 * In-memory state: one store per object kind, keyed by primary key (int or uuid as
 * the real models have it). Relations are stored by pk, as foreign keys are.
 */
import type { JsonObject } from "./fields";

export interface FlowRecord {
    pk: string; // flow_uuid
    name: string;
    slug: string;
    title: string;
    designation: string;
    background: string;
    policy_engine_mode: string;
    compatibility_mode: boolean;
    layout: string;
    denied_action: string;
    authentication: string;
}

export interface CertificateRecord {
    pk: string; // kp_uuid
    name: string;
    certificate_data: string;
    key_data: string;
    managed: string | null;
}

export interface ScopeMappingRecord {
    pk: string; // pm_uuid
    managed: string | null;
    name: string;
    expression: string;
    scope_name: string;
    description: string;
}

export interface RedirectUri {
    matching_mode: string;
    url: string;
    redirect_uri_type: string;
}

export interface ProviderRecord {
    pk: number;
    name: string;
    authentication_flow: string | null;
    authorization_flow: string | null;
    invalidation_flow: string | null;
    property_mappings: string[];
    client_type: string;
    grant_types: string[];
    client_id: string;
    client_secret: string;
    access_code_validity: string;
    access_token_validity: string;
    refresh_token_validity: string;
    refresh_token_threshold: string;
    include_claims_in_id_token: boolean;
    signing_key: string | null;
    encryption_key: string | null;
    redirect_uris: RedirectUri[];
    logout_uri: string;
    logout_method: string;
    sub_mode: string;
    issuer_mode: string;
    jwt_federation_sources: string[];
    jwt_federation_providers: number[];
    /** Provider.backchannel_application (set through Application.backchannel_providers) */
    backchannel_application: string | null;
}

export interface ApplicationRecord {
    pk: string; // pbm_uuid
    name: string;
    slug: string;
    provider: number | null;
    open_in_new_tab: boolean;
    meta_launch_url: string;
    meta_icon: string;
    meta_description: string;
    meta_publisher: string;
    policy_engine_mode: string;
    group: string;
    meta_hide: boolean;
}

export interface GroupRecord {
    pk: string; // group_uuid
    name: string;
    is_superuser: boolean;
    parents: string[];
    attributes: JsonObject;
    roles: string[];
}

export interface UserRecord {
    pk: number;
    username: string;
    name: string;
    is_active: boolean;
    last_login: string | null;
    date_joined: string;
    groups: string[];
    roles: string[];
    email: string;
    attributes: JsonObject;
    path: string;
    type: string;
    uuid: string;
    password_change_date: string;
    last_updated: string;
    /** Django password hash; never serialized */
    password: string;
}

export interface BrandRecord {
    pk: string; // brand_uuid
    domain: string;
    default: boolean;
    branding_title: string;
    branding_logo: string;
    branding_favicon: string;
    branding_custom_css: string;
    branding_default_flow_background: string;
    branding_map_tiles: string;
    flow_authentication: string | null;
    flow_user_switch: string | null;
    flow_invalidation: string | null;
    flow_recovery: string | null;
    flow_unenrollment: string | null;
    flow_user_settings: string | null;
    flow_device_code: string | null;
    flow_lockdown: string | null;
    flow_request: string | null;
    default_application: string | null;
    web_certificate: string | null;
    client_certificates: string[];
    attributes: JsonObject;
}

export const BRAND_FLOW_FIELDS = [
    "flow_authentication",
    "flow_user_switch",
    "flow_invalidation",
    "flow_recovery",
    "flow_unenrollment",
    "flow_user_settings",
    "flow_device_code",
    "flow_lockdown",
    "flow_request",
] as const;

/**
 * PolicyBinding (authentik/policies/models.py): binds a policy, a group or a user to a target (a PolicyBindingModel:
 * an application, a flow, a stage binding, …). Exactly one of policy, group, user is set.
 */
export interface PolicyBindingRecord {
    pk: string; // policy_binding_uuid
    policy: string | null;
    group: string | null;
    user: number | null;
    /** pbm_uuid of the target (an application's pk, or a flow's pk: the emulator's flows use it as pbm_uuid) */
    target: string;
    negate: boolean;
    enabled: boolean;
    order: number;
    timeout: number;
    failure_result: boolean;
}

/**
 * Stage (authentik/flows/models.py Stage and its subclasses): `type` is the subclass's model
 * (`authentik_stages_password.passwordstage`, as blueprints name it), `attrs` its own fields.
 */
export interface StageRecord {
    pk: string; // stage_uuid
    name: string;
    type: string;
    attrs: JsonObject;
}

/** FlowStageBinding (authentik/flows/models.py): a stage bound to a flow at an order. */
export interface FlowStageBindingRecord {
    pk: string; // fsb_uuid
    target: string; // flow pk
    stage: string; // stage pk
    order: number;
    evaluate_on_plan: boolean;
    re_evaluate_policies: boolean;
    invalid_response_action: string;
}

/** A file in the media storage (FileBackend: `{storage}/media/public/{name}`). */
export interface StoredFile {
    /** path relative to the usage's base path, normalised as PurePosixPath does */
    readonly name: string;
    readonly data: Buffer;
}

export class Db {
    readonly flows = new Map<string, FlowRecord>();
    readonly certificates = new Map<string, CertificateRecord>();
    readonly scopeMappings = new Map<string, ScopeMappingRecord>();
    readonly providers = new Map<number, ProviderRecord>();
    readonly applications = new Map<string, ApplicationRecord>();
    readonly groups = new Map<string, GroupRecord>();
    readonly users = new Map<number, UserRecord>();
    readonly brands = new Map<string, BrandRecord>();
    readonly policyBindings = new Map<string, PolicyBindingRecord>();
    readonly stages = new Map<string, StageRecord>();
    readonly flowStageBindings = new Map<string, FlowStageBindingRecord>();
    /** media storage, by normalised path */
    readonly files = new Map<string, StoredFile>();

    /** sequences for integer primary keys (PostgreSQL serials never reuse values) */
    private readonly sequences = { provider: 0, user: 0 };
    /** the user the API token belongs to (akadmin, or the emulator's `tokenUser`) */
    tokenUsername = "akadmin";
    /** per-install secret used for User.uid (authentik hashes the id with the install id) */
    installId = "";
    /** the install's SECRET_KEY (signs media file URLs) */
    secretKey = "";

    nextProviderPk(): number {
        return ++this.sequences.provider;
    }

    nextUserPk(): number {
        return ++this.sequences.user;
    }

    clear(): void {
        this.flows.clear();
        this.certificates.clear();
        this.scopeMappings.clear();
        this.providers.clear();
        this.applications.clear();
        this.groups.clear();
        this.users.clear();
        this.brands.clear();
        this.policyBindings.clear();
        this.stages.clear();
        this.flowStageBindings.clear();
        this.files.clear();
        this.sequences.provider = 0;
        this.sequences.user = 0;
    }

    flowBySlug(slug: string): FlowRecord | undefined {
        for (const flow of this.flows.values()) if (flow.slug === slug) return flow;
        return undefined;
    }

    applicationBySlug(slug: string): ApplicationRecord | undefined {
        for (const app of this.applications.values()) if (app.slug === slug) return app;
        return undefined;
    }

    /** Provider.application: the reverse side of Application.provider (OneToOne). */
    applicationOfProvider(providerPk: number): ApplicationRecord | undefined {
        for (const app of this.applications.values()) if (app.provider === providerPk) return app;
        return undefined;
    }
}

/**
 * The API operations the emulator implements, by operation id: the generic viewsets of the object kinds and the
 * few actions that are not CRUD (setup_urls, set_password, add_user/remove_user, the file API).
 */
import { Db } from "./core/db";
import { MSG } from "./core/drf";
import { ApiError, NotFound, noMatch } from "./core/errors";
import { FieldErrors, parseIntPk } from "./core/fields";
import { Viewset, type ApiRequest, type ApiResult, type Kind, type Pk } from "./core/kind";
import { blueprintHandlers } from "./blueprints/api";
import { applicationKind } from "./kinds/applications";
import { brandKind } from "./kinds/brands";
import { certificateKind } from "./kinds/certificates";
import { FILE_MESSAGES, fileHandlers, type MediaFiles } from "./kinds/files";
import { flowKind } from "./kinds/flows";
import { groupKind } from "./kinds/groups";
import { listPolicyBindings, policyBindingKind } from "./kinds/policyBindings";
import { providerKind } from "./kinds/providers";
import { scopeMappingKind } from "./kinds/scopeMappings";
import { authenticatorValidateStageKind, flowStageBindingKind } from "./kinds/stages";
import { userMe } from "./kinds/me";
import { hashPassword, userKind } from "./kinds/users";
import { issuerFor, OAUTH_MOUNT } from "./oidc";
import { checkAccess } from "./signin/policies/checkAccess";
import type { OpenApi } from "./schema/openapi";

export type Handler = (req: ApiRequest) => ApiResult | Promise<ApiResult>;

export interface Route {
    readonly handler: Handler;
    /** kind whose relation fields get DRF relation messages in request errors */
    readonly kind?: Kind<{ pk: Pk }>;
}

export class ApiRoutes {
    private readonly routes = new Map<string, Route>();

    constructor(
        private readonly db: Db,
        private readonly files: MediaFiles,
        private readonly api: OpenApi,
    ) {
        this.registerAll();
    }

    get(operationId: string): Route | undefined {
        return this.routes.get(operationId);
    }

    /** Registers a handler for an operation of the schema (an unknown id fails at start-up). */
    set(operationId: string, route: Route): void {
        this.api.operation(operationId);
        this.routes.set(operationId, route);
    }

    private crud<R extends { pk: Pk }>(prefix: string, lookup: string, kind: Kind<R>, only?: readonly string[]): Viewset<R> {
        const view = new Viewset(kind);
        const asRoute = kind as unknown as Kind<{ pk: Pk }>;
        const ops: Record<string, Handler> = {
            list: (req) => view.list(req),
            retrieve: (req) => view.retrieve(req, req.params[lookup] ?? ""),
            create: (req) => view.create(req, this.schemaErrors(req)),
            update: (req) => view.update(req, req.params[lookup] ?? "", this.schemaErrors(req)),
            partial_update: (req) => view.update(req, req.params[lookup] ?? "", this.schemaErrors(req)),
            destroy: (req) => view.destroy(req.params[lookup] ?? ""),
        };
        for (const [action, handler] of Object.entries(ops)) {
            if (only && !only.includes(action)) continue;
            const id = `${prefix}_${action}`;
            this.set(id, { handler, kind: asRoute });
        }
        return view;
    }

    private registerAll(): void {
        const db = this.db;
        this.crud("core_applications", "slug", applicationKind(db));
        const providers = this.crud("providers_oauth2", "id", providerKind(db));
        this.crud("propertymappings_provider_scope", "pm_uuid", scopeMappingKind(db));
        const groups = this.crud("core_groups", "group_uuid", groupKind(db));
        this.crud("core_brands", "brand_uuid", brandKind(db));
        const users = this.crud("core_users", "id", userKind(db));
        this.crud("flows_instances", "slug", flowKind(db));
        this.crud("crypto_certificatekeypairs", "kp_uuid", certificateKind(db));
        // flows/api/bindings.py, stages/authenticator_validate/api.py: read, and change a validation stage
        this.crud("flows_bindings", "fsb_uuid", flowStageBindingKind(db), ["list", "retrieve"]);
        this.crud("stages_authenticator_validate", "stage_uuid", authenticatorValidateStageKind(db), ["list", "retrieve", "update", "partial_update"]);
        // core/api/users.py user_me: the token's user
        this.set("core_users_me_retrieve", { handler: (req) => userMe(db, req) });
        // policies/api/bindings.py: the list adds PolicyBindingFilter's own filter messages
        const bindingOps = ["retrieve", "create", "update", "partial_update", "destroy"];
        const bindings = this.crud("policies_bindings", "policy_binding_uuid", policyBindingKind(db), bindingOps);
        this.set("policies_bindings_list", { handler: (req) => listPolicyBindings(db, bindings, req) });
        // core/api/applications.py check_access, with the policy engine of signin/policies
        this.set("core_applications_check_access_retrieve", { handler: (req) => checkAccess(db, req) });

        // providers/oauth2/api/providers.py setup_urls
        this.set("providers_oauth2_setup_urls_retrieve", {
            handler: (req) => {
                const provider = providers.find(req.params.id ?? "");
                const app = db.applicationOfProvider(provider.pk);
                if (!app) throw new NotFound(MSG.notFound);
                const base = `${req.origin}${OAUTH_MOUNT}`;
                return {
                    status: 200,
                    body: {
                        issuer: issuerFor(provider, app.slug, req.origin),
                        authorize: `${base}authorize/`,
                        token: `${base}token/`,
                        user_info: `${base}userinfo/`,
                        provider_info: `${base}${app.slug}/.well-known/openid-configuration`,
                        logout: `${base}${app.slug}/end-session/`,
                        jwks: `${base}${app.slug}/jwks/`,
                        dcr_registration: null,
                    },
                };
            },
        });

        // core/api/users.py set_password: UserPasswordSetSerializer, then 204
        this.set("core_users_set_password_create", {
            handler: (req) => {
                const user = users.find(req.params.id ?? "");
                const errors = this.schemaErrors(req);
                errors.throwIfAny();
                user.password = hashPassword((req.body as { password: string }).password);
                user.password_change_date = new Date().toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
                return { status: 204 };
            },
        });

        // core/api/groups.py add_user / remove_user: 404 for an unknown user pk
        const membership = (add: boolean): Handler => (req) => {
            const group = groups.find(req.params.group_uuid ?? "");
            this.schemaErrors(req).throwIfAny();
            const pk = parseIntPk((req.body as { pk: unknown }).pk);
            const user = pk === undefined ? undefined : db.users.get(pk);
            if (!user) throw noMatch("User");
            if (add && !user.groups.includes(group.pk)) user.groups.push(group.pk);
            if (!add) user.groups = user.groups.filter((g) => g !== group.pk);
            return { status: 204 };
        };
        this.set("core_groups_add_user_create", { handler: membership(true) });
        this.set("core_groups_remove_user_create", { handler: membership(false) });

        // admin/files/api.py FileView and FileUsedByView
        const uploadOf = (req: ApiRequest) => {
            this.schemaErrors(req).throwIfAny();
            const files = req.form?.files.get("file") ?? [];
            const file = files[files.length - 1];
            if (!file) throw new ApiError(400, { file: [FILE_MESSAGES.noFile] }); // unreachable: the schema requires it
            return { body: req.body as { name?: string; usage?: string }, file };
        };
        for (const [id, handler] of Object.entries(fileHandlers(db, this.files, uploadOf))) this.set(id, { handler });

        // blueprints/api.py: the one-off import (and the instance list), in blueprints/
        for (const [id, handler] of Object.entries(blueprintHandlers(db, this.api))) this.set(id, { handler });
    }

    /** Request-schema errors of the current request in DRF shape (computed by handle()). */
    private schemaErrors(req: ApiRequest): FieldErrors {
        return FieldErrors.from(req.schemaErrors);
    }
}

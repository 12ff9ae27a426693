/** Authentik as code: dynamic resources over the official client, one shared CRUD core, three components. */
export { AuthentikOidcApp, issuerUrl, type AuthentikOidcAppArgs } from "./oidc-app";
export { AuthentikDirectory, ROLE_GROUPS, groupNames, type AuthentikDirectoryArgs, type BrandSettings, type TestUserSettings } from "./directory";
export { AuthentikAccess, type AuthentikAccessArgs } from "./access";
export { accessArgs, accessRoles, directoryArgs, logoutRedirectUris, oidcAppArgs, redirectUris, type AuthentikConnection } from "./args";
export { Application, type ApplicationArgs } from "./application";
export { Brand, type BrandArgs } from "./brand";
export { Group, type GroupArgs } from "./group";
export { MediaFile, type MediaFileArgs } from "./media-file";
export { OAuth2Provider, type OAuth2ProviderArgs } from "./oauth2-provider";
export { PolicyBinding, type PolicyBindingArgs } from "./policy-binding";
export { ScopeMapping, type ScopeMappingArgs } from "./scope-mapping";
export { User, type UserArgs } from "./user";
export { CertificateKeyPairLookup, FlowLookup, ScopeMappingLookup } from "./lookups";
export { TOKEN_ENV, CONFIG_KEY } from "./core/connection";

/** Moved to signin/oauth2/discovery.ts (the OAuth2 endpoints live under signin/oauth2/); kept for existing imports. */
export { DJANGO_404, OAUTH_MOUNT, discoveryDocument, issuerFor, jwks, providerForSlug } from "./signin/oauth2/discovery";

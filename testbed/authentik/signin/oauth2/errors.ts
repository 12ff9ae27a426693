/**
 * OAuth2 errors (authentik/providers/oauth2/errors.py): the descriptions authentik sends, and how each kind is
 * answered. Token-endpoint errors are JSON `{"error", "error_description", "request_id"}` (create_dict(request);
 * the request_id is the request's X-authentik-id); authorize errors redirect to the client with `error`,
 * `error_description` and `state`; bearer-token errors are an empty body with WWW-Authenticate.
 */
import { quote } from "../pyurl";

export const TOKEN_ERRORS = {
    invalid_request: "The request is otherwise malformed",
    invalid_client:
        "Client authentication failed (e.g., unknown client, no client authentication included, or unsupported authentication method)",
    invalid_grant:
        "The provided authorization grant or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client",
    unauthorized_client: "The authenticated client is not authorized to use this authorization grant type",
    unsupported_grant_type: "The authorization grant type is not supported by the authorization server",
    invalid_scope: "The requested scope is invalid, unknown, malformed, or exceeds the scope granted by the resource owner",
} as const;

export type TokenErrorCode = keyof typeof TOKEN_ERRORS;

/** TokenError(error).with_cause(reason) */
export class TokenError extends Error {
    constructor(
        readonly error: TokenErrorCode,
        /** with_cause(): only authentik's event log shows it */
        readonly reason?: string,
    ) {
        super(`${error}${reason ? ` (${reason})` : ""}`);
    }

    body(requestId: string): Record<string, string> {
        return { error: this.error, error_description: TOKEN_ERRORS[this.error], request_id: requestId };
    }
}

export const AUTHORIZE_ERRORS: Record<string, string> = {
    invalid_request: "The request is otherwise malformed",
    unauthorized_client: "The client is not authorized to request an authorization code using this method",
    access_denied: "The resource owner or authorization server denied the request",
    unsupported_response_type: "The authorization server does not support obtaining an authorization code using this method",
    invalid_scope: "The requested scope is invalid, unknown, or malformed",
    server_error: "The authorization server encountered an error",
    temporarily_unavailable:
        "The authorization server is currently unable to handle the request due to a temporary overloading or maintenance of the server",
    interaction_required: "The Authorization Server requires End-User interaction of some form to proceed",
    login_required: "The Authorization Server requires End-User authentication",
    account_selection_required: "The End-User is required to select a session at the Authorization Server",
    consent_required: "The Authorization Server requires End-User consent",
    invalid_request_uri: "The request_uri in the Authorization Request returns an error or contains invalid data",
    invalid_request_object: "The request parameter contains an invalid Request Object",
    request_not_supported: "The provider does not support use of the request parameter",
    request_uri_not_supported: "The provider does not support use of the request_uri parameter",
    registration_not_supported: "The provider does not support use of the registration parameter",
};

/** AuthorizeError: returned to the client at its redirect URI */
export class AuthorizeError extends Error {
    readonly description: string;

    constructor(
        readonly redirectUri: string,
        readonly error: string,
        readonly grantType: string,
        readonly state: string | null,
        readonly responseMode: string | null = null,
        description?: string,
        readonly reason?: string,
    ) {
        super(error);
        this.description = description ?? AUTHORIZE_ERRORS[error] ?? error;
    }

    /** create_uri(): "#" for implicit and hybrid, "?" otherwise; the description quote()d */
    uri(): string {
        const sep = this.grantType === "implicit" || this.grantType === "hybrid" ? "#" : "?";
        let uri = `${this.redirectUri}${sep}error=${this.error}&error_description=${quote(this.description)}`;
        if (this.state) uri += `&state=${this.state}`;
        return uri;
    }
}

/** ClientIdError / RedirectUriError: shown as authentik's error page (bad_request_message, title = error) */
export class ClientPageError extends Error {
    constructor(
        readonly title: string,
        readonly description: string,
        readonly reason?: string,
    ) {
        super(title);
    }
}

export function clientIdError(): ClientPageError {
    return new ClientPageError("Client ID Error", "The client identifier (client_id) is missing or invalid.");
}

export function redirectUriError(cause: string): ClientPageError {
    return new ClientPageError(
        "Redirect URI Error",
        "The request fails due to a missing, invalid, or mismatching redirection URI (redirect_uri).",
        cause,
    );
}

export const BEARER_ERRORS = {
    invalid_request: ["The request is otherwise malformed", 400],
    invalid_token: ["The access token provided is expired, revoked, malformed, or invalid for other reasons", 401],
    insufficient_scope: ["The request requires higher privileges than provided by the access token", 403],
} as const;

export type BearerErrorCode = keyof typeof BEARER_ERRORS;

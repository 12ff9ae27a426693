import type { SignInResult } from "./sign-in";

/** What a sign-in gave, as the app would see it: the decision, then the claims. Tokens are never shown. */
export function describeResult(username: string, result: SignInResult): string {
    if (!result.granted) return `${username}: access refused (${result.reason})`;
    const indent = (value: unknown) => JSON.stringify(value, null, 2).replace(/\n/g, "\n  ");
    return [
        `${username}: access granted (scope: ${result.scope}; ${result.refreshable ? "refresh token issued" : "no refresh token"})`,
        `  id_token claims: ${indent(result.idToken)}`,
        `  userinfo: ${indent(result.userinfo)}`,
    ].join("\n");
}

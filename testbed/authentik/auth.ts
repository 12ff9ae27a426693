/** API authentication: authentik/api/authentication.py TokenAuthentication, then DRF's permission check. */
import type { IncomingMessage } from "node:http";
import { timingSafeEqual } from "node:crypto";
import { MSG } from "./core/drf";
import type { Operation } from "./schema/openapi";

/** authentik TokenAuthentication + DRF permission check: 403 with DRF's detail. */
export function authenticate(token: string, req: IncomingMessage, op: Operation | undefined): { detail: string } | undefined {
    const header = (req.headers.authorization ?? "").trim();
    if (header === "" || !header.includes(" ")) {
        // No credentials: anonymous. Operations that allow anonymous access pass.
        if (op && !op.authRequired) return undefined;
        return { detail: MSG.notAuthenticated };
    }
    const space = header.indexOf(" ");
    const type = header.slice(0, space);
    const credentials = header.slice(space + 1);
    if (type.toLowerCase() !== "bearer") return { detail: MSG.unsupportedAuth };
    if (credentials === "") return { detail: MSG.malformedHeader };
    const expected = Buffer.from(token);
    const given = Buffer.from(credentials);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { detail: MSG.tokenInvalid };
    return undefined;
}


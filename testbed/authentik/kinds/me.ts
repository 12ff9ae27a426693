/**
 * `GET /core/users/me/` (core/api/users.py `user_me`): SessionUserSerializer with the request's user as `user`
 * (UserSelfSerializer). The emulator's requests carry the API token, so the user is the token's (seed.ts).
 */
import type { Db } from "../core/db";
import { MSG } from "../core/drf";
import { Forbidden } from "../core/errors";
import type { ApiRequest, ApiResult } from "../core/kind";
import { DEFAULT_AVATAR, isSuperuser, userUid } from "./users";

export function userMe(db: Db, _req: ApiRequest): ApiResult {
    const user = [...db.users.values()].find((u) => u.username === db.tokenUsername);
    // Token.user is CASCADE: with its user gone the token no longer authenticates.
    if (!user) throw new Forbidden(MSG.tokenInvalid);
    const self = {
        pk: user.pk,
        username: user.username,
        name: user.name,
        is_active: user.is_active,
        is_superuser: isSuperuser(db, user),
        // a token request has no browser session
        is_current: false,
        groups: user.groups.map((pk) => db.groups.get(pk)).filter((g) => g !== undefined).map((g) => ({ name: g.name, pk: g.pk })),
        roles: [],
        email: user.email,
        avatar: DEFAULT_AVATAR,
        uid: userUid(db, user),
        settings: {},
        type: user.type,
        system_permissions: [],
    };
    return { status: 200, body: { user: self, users: [self] } };
}

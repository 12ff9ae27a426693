/**
 * Media files (authentik/admin/files/): the `/admin/file/` API (api.py FileView and
 * FileUsedByView), the file manager and its backends for the `media` usage (manager.py,
 * backends/static.py, backends/passthrough.py, backends/file.py), the name validators
 * (validation.py) and the signed `/files/media/…` URLs the web server serves uploaded files at.
 *
 * Storage is the FileBackend's (`storage.backend: file`, the default): files live under
 * `{path}/media/public/{name}` ("public" is the tenant schema) and are listed, checked and
 * deleted by that relative name. Their URL is `/files/media/public/{name}?token=<JWT>`, a
 * HS256 JWT `{"path": "media/public/{name}", "exp": now+15 min, "nbf": now-15 s}` signed
 * with the hex SHA-256 of `"{SECRET_KEY}:media"`; the web server answers `404 page not found`
 * to a request without a valid token for that exact path.
 */
export * from "./names";
export * from "./static";
export * from "./tokens";
export * from "./storage";
export * from "./api";

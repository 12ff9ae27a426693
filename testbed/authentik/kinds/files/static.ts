/**
 * What the static backend serves and how a name maps to a content type
 * (admin/files/backends/static.py, backends/base.py get_content_type).
 */
// Python's mimetypes default map (3.12+), for get_content_type(); unknown → application/octet-stream.
const MIME_TYPES: Record<string, string> = {
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".jpe": "image/jpeg",
    ".gif": "image/gif",
    ".ico": "image/vnd.microsoft.icon",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".bmp": "image/bmp",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".css": "text/css",
    ".csv": "text/csv",
    ".htm": "text/html",
    ".html": "text/html",
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".xml": "text/xml",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".pdf": "application/pdf",
    ".zip": "application/zip",
    ".tar": "application/x-tar",
    ".wasm": "application/wasm",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".mp3": "audio/mpeg",
    ".mp4": "video/mp4",
    ".webm": "video/webm",
};
const ENCODINGS = new Set([".gz", ".z", ".bz2", ".xz", ".br"]);

/** backends/base.py get_content_type: mimetypes.guess_type (an encoding suffix such as .gz is skipped). */
export function contentTypeOf(name: string): string {
    let base = name.slice(name.lastIndexOf("/") + 1);
    for (;;) {
        const dot = base.lastIndexOf(".");
        if (dot <= 0) return "application/octet-stream";
        const ext = base.slice(dot);
        if (ENCODINGS.has(ext.toLowerCase())) {
            base = base.slice(0, dot);
            continue;
        }
        return MIME_TYPES[ext] ?? MIME_TYPES[ext.toLowerCase()] ?? "application/octet-stream";
    }
}

/**
 * StaticBackend.list_files: the icons of web/authentik/sources (top level), then everything
 * under web/dist/assets/icons and assets/images. The exact set depends on the build; this is
 * the set of the 2026.8 tree as far as it could be read (see the README).
 */
export const STATIC_FILES: readonly string[] = [
    ...[
        "adfs.svg",
        "apple.svg",
        "atproto.svg",
        "bsky.svg",
        "discord.svg",
        "dropbox.svg",
        "github.svg",
        "instagram.svg",
        "kerberos.png",
        "lark.svg",
        "ldap.png",
        "mailcow.svg",
        "openidconnect.svg",
        "proxy.svg",
        "rac.svg",
        "radius.svg",
        "reddit.svg",
        "saml.png",
        "scim.png",
        "slack.svg",
        "ssf.svg",
        "telegram.svg",
        "tiktok.svg",
        "twitch.svg",
        "twitter.svg",
        "wechat.svg",
        "wechatserviceaccount.svg",
        "x.svg",
    ].map((f) => `/static/authentik/sources/${f}`),
    ...[
        "brand.png",
        "brand.svg",
        "icon.png",
        "icon_left_brand.png",
        "icon_left_brand.svg",
        "icon_top_brand.png",
        "icon_top_brand.svg",
    ].map((f) => `/static/dist/assets/icons/${f}`),
    "/static/dist/assets/images/flow_background.jpg",
];

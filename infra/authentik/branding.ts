import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { basename, extname, isAbsolute, relative, resolve } from "node:path";

/** The example brand's files (logo.svg, favicon.svg, custom.css). Read by the program, never by a provider. */
export const BRANDING_DIR = resolve(__dirname, "..", "..", "branding");

/** A logo or favicon as Authentik can serve it. */
export type BrandingAsset =
    /** A `/static/…` path, an http(s) URL or an `fa://` icon: stored as given. */
    | { readonly kind: "reference"; readonly value: string }
    /** A file from `branding/`, uploaded to Authentik's media storage under a content-addressed name. */
    | { readonly kind: "file"; readonly name: string; readonly content: string; readonly mimeType: string };

const MIME_TYPES: Readonly<Record<string, string>> = {
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
};

/** Resolves a file setting inside `dir`, refusing anything that would leave it. */
function brandingFile(setting: string, dir: string, what: string): string {
    const path = resolve(dir, setting);
    const rel = relative(dir, path);
    if (isAbsolute(setting) || rel.startsWith("..") || rel === "") {
        throw new Error(`authentik.brand.${what}: "${setting}" must be a file in ${dir} or an http(s) URL`);
    }
    return path;
}

function readBrandingFile(path: string, setting: string, dir: string, what: string): Buffer {
    try {
        return readFileSync(path);
    } catch {
        throw new Error(`authentik.brand.${what}: no file "${setting}" in ${dir} (expected a file there or an http(s) URL)`);
    }
}

/**
 * A brand image setting (`authentik.brand.logo` / `favicon`). URLs and Authentik's own `/static/` paths pass
 * through. A file name is read from `dir` now, at program time, and named `gatehouse/<prefix>-<stem>-<sha256:12><ext>`
 * in media storage, so new content means a new name and the brand follows it in the same update.
 */
export function brandingAsset(setting: string, dir: string, prefix: string, what: "logo" | "favicon"): BrandingAsset {
    if (/^(https?:\/\/|\/static\/|fa:\/\/)/.test(setting)) return { kind: "reference", value: setting };
    const path = brandingFile(setting, dir, what);
    const ext = extname(path).toLowerCase();
    const mimeType = MIME_TYPES[ext];
    if (mimeType === undefined) {
        throw new Error(`authentik.brand.${what}: "${setting}" is not an image Authentik serves (${Object.keys(MIME_TYPES).join(", ")})`);
    }
    const bytes = readBrandingFile(path, setting, dir, what);
    const hash = createHash("sha256").update(bytes).digest("hex").slice(0, 12);
    const stem = basename(path, extname(path)).replace(/[^a-zA-Z0-9._-]/g, "-");
    return { kind: "file", name: `gatehouse/${prefix}-${stem}-${hash}${ext}`, content: bytes.toString("base64"), mimeType };
}

/** The brand's custom CSS (`authentik.brand.css`), read from `dir` at program time. */
export function brandingCss(setting: string, dir: string): string {
    const path = brandingFile(setting, dir, "css");
    return readBrandingFile(path, setting, dir, "css").toString("utf8");
}

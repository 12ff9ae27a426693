/**
 * Names of media files: authentik/admin/files/validation.py (validate_upload_file_name,
 * validate_file_name), the usages and limits of the file API, and which backend a name belongs to.
 */
/** FileApiUsage (admin/files/usage.py): the usages the API accepts. */
export const FILE_API_USAGES = ["media"] as const;
/** api.py MAX_FILE_SIZE_BYTES */
export const MAX_FILE_SIZE_BYTES = 25 * 1024 * 1024;
/** validation.py limits */
export const MAX_FILE_NAME_LENGTH = 1024;
export const MAX_PATH_COMPONENT_LENGTH = 255;
/** backends/base.py THEME_VARIABLE; get_valid_themes(): Themes without "automatic" */
export const THEME_VARIABLE = "%(theme)s";
export const THEMES = ["light", "dark"] as const;
/** the tenant schema of a single-tenant install */
export const SCHEMA_NAME = "public";

export const FILE_MESSAGES = {
    empty: "File name cannot be empty",
    characters:
        "File name can only contain letters (a-z, A-Z), numbers (0-9), dots (.), hyphens (-), underscores (_), and forward slashes (/)",
    duplicateSlash: "File name cannot contain duplicate /",
    absolute: "Absolute paths are not allowed",
    parent: "Parent directory references ('..') are not allowed",
    dot: "Paths cannot start with '.'",
    tooLong: `File name too long (max ${MAX_FILE_NAME_LENGTH} characters)`,
    componentTooLong: `Path component too long (max ${MAX_PATH_COMPONENT_LENGTH} characters)`,
    exists: "A file with this name already exists.",
    // DRF FileField (rest_framework/fields.py)
    noFile: "No file was submitted.",
    notAFile: "The submitted data was not a file. Check the encoding type on the form.",
    emptyFile: "The submitted file is empty.",
} as const;

/** PurePosixPath(name): empty and "." segments dropped, a leading "/" kept. */
function posixPath(name: string): { absolute: boolean; parts: string[]; text: string } {
    const absolute = name.startsWith("/");
    const parts = name.split("/").filter((p) => p !== "" && p !== ".");
    const text = (absolute ? "/" : "") + parts.join("/");
    return { absolute, parts: absolute ? ["/", ...parts] : parts, text: text === "" ? "." : text };
}

/** Where FileBackend stores a name (`base_path / Path(name)`), relative to the base path. */
export function storagePath(name: string): string {
    return posixPath(name).parts.filter((p) => p !== "/").join("/");
}

/**
 * validation.py validate_upload_file_name: the message of the first rule `name` breaks, or
 * undefined. `%(theme)s` placeholders are allowed (a themed name stands for one file per theme).
 */
export function uploadFileNameProblem(name: string): string | undefined {
    if (!name) return FILE_MESSAGES.empty;
    if (!/^[a-zA-Z0-9._/-]+$/.test(name.split(THEME_VARIABLE).join("theme"))) return FILE_MESSAGES.characters;
    if (name.includes("//")) return FILE_MESSAGES.duplicateSlash;
    const path = posixPath(name);
    if (path.absolute) return FILE_MESSAGES.absolute;
    if (path.parts.includes("..")) return FILE_MESSAGES.parent;
    if (path.text.startsWith(".")) return FILE_MESSAGES.dot;
    if (path.text.length > MAX_FILE_NAME_LENGTH) return FILE_MESSAGES.tooLong;
    if (path.parts.some((p) => p.length > MAX_PATH_COMPONENT_LENGTH)) return FILE_MESSAGES.componentTooLong;
    return undefined;
}

/** PassthroughBackend.supports_file: Font Awesome icons and external URLs, passed through as they are. */
export function isPassthrough(name: string): boolean {
    return name.startsWith("fa://") || name.startsWith("http:") || name.startsWith("https://");
}

/** StaticBackend.supports_file */
export function isStatic(name: string): boolean {
    return name.startsWith("/static");
}

/**
 * validation.py validate_file_name, the validator of authentik's FileField model fields
 * (Brand.branding_logo/branding_favicon/branding_default_flow_background, …): an external
 * URL, a static path, or a name an upload could have. `data:` URIs are refused.
 */
export function fileFieldProblem(value: string): string | undefined {
    if (isPassthrough(value) || isStatic(value)) return undefined;
    return uploadFileNameProblem(value);
}


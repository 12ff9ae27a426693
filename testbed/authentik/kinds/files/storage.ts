/**
 * FileManager(FileUsage.MEDIA) over the emulator's in-memory storage (backends/file.py, manager.py):
 * files live under `media/public/{name}`; their URLs are signed (tokens.ts) and cached as the backend caches them.
 */
import type { Db, StoredFile } from "../../core/db";
import { isPassthrough, isStatic, SCHEMA_NAME, storagePath, THEME_VARIABLE, THEMES } from "./names";
import { STATIC_FILES } from "./static";
import { signFileToken } from "./tokens";

/** storage.file.presigned_expiry default ("minutes=15") */
const URL_EXPIRY_SECONDS = 15 * 60;
/** ManageableBackend._cache_get_or_set: URLs are cached for 0.67 of their lifetime */
const URL_CACHE_SECONDS = Math.trunc(URL_EXPIRY_SECONDS * 0.67);

export interface FileListEntry {
    readonly name: string;
    readonly mime_type: string;
    readonly url: string;
    readonly themed_urls: { light: string; dark: string } | null;
}

/** FileManager(FileUsage.MEDIA) over the emulator's storage. */
export class MediaFiles {
    /** ManageableBackend URL cache: `{origin}/{name}` → [url, created (ms)] */
    private readonly urlCache = new Map<string, [string, number]>();

    constructor(private readonly db: Db) {}

    /** FileBackend.file_exists: a stored file, or a directory that holds one. */
    exists(name: string): boolean {
        const path = storagePath(name);
        if (this.db.files.has(path)) return true;
        for (const key of this.db.files.keys()) if (key.startsWith(`${path}/`)) return true;
        return path === "";
    }

    /** FileBackend.save_file; a path under an existing file cannot be created (NotADirectoryError). */
    save(name: string, data: Buffer): void {
        const path = storagePath(name);
        const parts = path.split("/");
        for (let i = 1; i < parts.length; i++) {
            if (this.db.files.has(parts.slice(0, i).join("/"))) throw new ServerError(`Not a directory: '${parts.slice(0, i).join("/")}'`);
        }
        this.db.files.set(path, { name: path, data });
    }

    /** FileBackend.delete_file: unlink(missing_ok=True). A directory cannot be unlinked. */
    delete(name: string): void {
        const path = storagePath(name);
        if (!this.db.files.delete(path) && this.exists(name)) throw new ServerError(`Is a directory: '${path}'`);
    }

    get(path: string): StoredFile | undefined {
        return this.db.files.get(path);
    }

    /** FileManager.list_files: the static backend, then the managed (file) backend. */
    list(manageableOnly: boolean): string[] {
        const managed = [...this.db.files.keys()];
        return manageableOnly ? managed : [...STATIC_FILES, ...managed];
    }

    /** FileManager.file_url: the first backend that supports the name. */
    url(name: string, origin: string, now = Date.now()): string {
        if (!name) return "";
        if (isStatic(name)) return `${origin}${name}`;
        if (isPassthrough(name)) return name;
        const key = `${origin}/${name}`;
        const cached = this.urlCache.get(key);
        if (cached && now - cached[1] < URL_CACHE_SECONDS * 1000) return cached[0];
        const path = `media/${SCHEMA_NAME}/${name}`;
        const seconds = Math.floor(now / 1000);
        const token = signFileToken(this.db.secretKey, "media", { path, exp: seconds + URL_EXPIRY_SECONDS, nbf: seconds - 15 });
        const url = `${origin}/files/${path}?token=${token}`;
        this.urlCache.set(key, [url, now]);
        return url;
    }

    /** Backend.themed_urls: one URL per theme when the name holds %(theme)s, else null. */
    themedUrls(name: string, origin: string): { light: string; dark: string } | null {
        if (!name.includes(THEME_VARIABLE)) return null;
        const [light, dark] = THEMES.map((theme) => this.url(name.split(THEME_VARIABLE).join(theme), origin));
        return { light: light as string, dark: dark as string };
    }

    clearCache(): void {
        this.urlCache.clear();
    }
}

/** An unhandled exception on the real server: Django's 500. */
export class ServerError extends Error {}

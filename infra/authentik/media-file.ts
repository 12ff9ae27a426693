import * as pulumi from "@pulumi/pulumi";
import { byName, ByNameResource } from "./core/by-name";
import { containsUnknown } from "./core/compare";
import { DEFAULT_RETRY, rememberStackToken } from "./core/connection";
import { badRequestFields, httpStatus } from "./core/errors";
import type { Apis, CheckFailure } from "./core/kind";
import { withAuthentik, type ProviderOptions } from "./core/provider";
import { MODULE } from "./core/resource";

/**
 * A file in Authentik's media storage (`/admin/file/`), e.g. a brand's logo. Authentik ≥ 2025.12 accepts in a
 * brand's logo and favicon only a `/static/…` path, an http(s) URL or the name of a media file (data: URIs are
 * refused), so files from `branding/` are uploaded here. Names are content-addressed by the caller: new bytes get a
 * new name, so a change replaces the file (the brand moves to the new name before the old file is deleted).
 */
export interface MediaFileState {
    readonly url: string;
    /** Path in media storage, e.g. `gatehouse/acme-logo-1a2b3c4d5e6f.svg`. */
    readonly name: string;
    /** File content, base64. */
    readonly content: string;
    readonly mimeType: string;
    /** The API token when it is not the stack's (see AuthentikResourceArgs.token); a secret. */
    readonly token?: string;
}

const KIND = "media file";

/** Authentik's rule for uploaded file names (admin/files/validation.py, validate_upload_file_name). */
export function mediaNameProblem(name: string): string | undefined {
    if (!/^[a-zA-Z0-9._/-]+$/.test(name)) return "only letters, digits, '.', '-', '_' and '/' are allowed";
    if (name.includes("//")) return "no empty path segments";
    if (name.startsWith("/") || name.startsWith(".")) return "must not start with '/' or '.'";
    if (name.split("/").includes("..")) return "no '..' segments";
    return undefined;
}

async function exists(apis: Apis, name: string): Promise<boolean> {
    // Authentik matches `search` unchanged against lowercased names (admin/files/api.py): search in lower case,
    // then compare exactly.
    const files = await apis.admin.adminFileList({ search: name.toLowerCase(), usage: "media" });
    return files.some((f) => f.name === name);
}

async function upload(apis: Apis, state: MediaFileState): Promise<void> {
    const file = new Blob([Buffer.from(state.content, "base64")], { type: state.mimeType });
    try {
        await apis.admin.adminFileCreate({ file, name: state.name, usage: "media" });
    } catch (error) {
        // Content-addressed: a file already stored under this name holds these bytes (a lost or repeated upload).
        if ((await badRequestFields(error)).includes("name") && (await exists(apis, state.name))) return;
        throw error;
    }
}

export function mediaFileProvider(options: ProviderOptions = { retry: DEFAULT_RETRY }): pulumi.dynamic.ResourceProvider {
    const run = <T>(state: MediaFileState, work: (apis: Apis) => Promise<T>): Promise<T> => withAuthentik({ kind: KIND, key: state.name, url: state.url, ...(state.token !== undefined && { token: state.token }) }, options, [], work);
    return {
        async configure(req) {
            rememberStackToken(req.config);
        },
        async check(_olds, news) {
            const failures: CheckFailure[] = [];
            const name = (news as MediaFileState).name;
            const problem = typeof name === "string" && !containsUnknown(name) ? mediaNameProblem(name) : undefined;
            if (problem !== undefined) failures.push({ property: "name", reason: problem });
            return { inputs: news, failures };
        },
        async diff(_id, olds, news) {
            const replaces = (["name", "content", "mimeType"] as const).filter((k) => olds[k] !== news[k]);
            return { changes: replaces.length > 0 || olds.url !== news.url || olds.token !== news.token, replaces };
        },
        async create(inputs) {
            const state = inputs as MediaFileState;
            await run(state, (apis) => upload(apis, state));
            return { id: state.name, outs: state };
        },
        async read(id, props) {
            const state = props as MediaFileState;
            const found = await run(state, (apis) => exists(apis, id));
            return found ? { id, props: state, inputs: state } : { id: "" };
        },
        async update(_id, _olds, news) {
            // Only the URL changed: make sure the file is there.
            const state = news as MediaFileState;
            await run(state, async (apis) => {
                if (!(await exists(apis, state.name))) await upload(apis, state);
            });
            return { outs: state };
        },
        async delete(id, props) {
            await run(props as MediaFileState, async (apis) => {
                try {
                    await apis.admin.adminFileDestroy({ name: id, usage: "media" });
                } catch (error) {
                    if (httpStatus(error) !== 404) throw error;
                }
            });
        },
    };
}

const provider = byName("MediaFile", mediaFileProvider());

export interface MediaFileArgs {
    /** Base URL of Authentik. */
    readonly url: pulumi.Input<string>;
    /** Path in media storage; content-addressed by the caller (see brandingAsset in branding.ts). */
    readonly name: pulumi.Input<string>;
    /** Content, base64. */
    readonly content: pulumi.Input<string>;
    readonly mimeType: pulumi.Input<string>;
    /** The API token when it is not the stack's (see AuthentikResourceArgs.token); a secret. */
    readonly token?: pulumi.Input<string>;
}

/** A file uploaded to Authentik's media storage; its `name` is what a brand's logo or favicon refers to. */
export class MediaFile extends ByNameResource {
    declare readonly name: pulumi.Output<string>;

    constructor(name: string, args: MediaFileArgs, opts?: pulumi.CustomResourceOptions) {
        super(provider, name, { ...args }, opts, MODULE, "MediaFile");
    }
}

import * as pulumi from "@pulumi/pulumi";

export interface EnvFileInputs {
    /** Path relative to the project directory. */
    readonly path: pulumi.Input<string>;
    /** The project directory on the machine running `pulumi up` (the provider's own cwd is not reliable). */
    readonly root: pulumi.Input<string>;
    readonly contents: pulumi.Input<string>;
}

interface EnvFileState {
    readonly path: string;
    readonly root: string;
    readonly contents: string;
}

/**
 * Writes `contents` to `path` with mode 0600, atomically (temp file in the same directory, fsync, rename), on create
 * and update; removes it on delete. Preview never calls create or update, so a preview leaves the file alone.
 * Every method loads what it needs inside itself: the provider is serialized into state.
 */
const envFileProvider: pulumi.dynamic.ResourceProvider<EnvFileState, EnvFileState> = {
    async check(_olds, news) {
        const failures: pulumi.dynamic.CheckFailure[] = [];
        const path = String(news.path ?? "");
        if (path === "" || path.startsWith("/") || path.split(/[\\/]/).includes("..")) {
            failures.push({ property: "path", reason: "must be a path inside the project directory" });
        }
        return { inputs: news, failures };
    },
    async diff(_id, olds, news) {
        // Another path is another file: write the new one, then remove the old. Another root (a different machine or
        // checkout) just needs the file written there.
        const replaces = olds.path !== news.path ? ["path"] : [];
        return { changes: replaces.length > 0 || olds.root !== news.root || olds.contents !== news.contents, replaces, deleteBeforeReplace: false };
    },
    async create(inputs) {
        const fs = require("node:fs") as typeof import("node:fs");
        const nodePath = require("node:path") as typeof import("node:path");
        const target = nodePath.resolve(inputs.root, inputs.path);
        fs.mkdirSync(nodePath.dirname(target), { recursive: true });
        const temp = `${target}.${process.pid}.${Date.now()}.tmp`;
        const fd = fs.openSync(temp, "w", 0o600);
        try {
            fs.writeSync(fd, inputs.contents);
            fs.fsyncSync(fd);
        } finally {
            fs.closeSync(fd);
        }
        fs.chmodSync(temp, 0o600);
        fs.renameSync(temp, target);
        return { id: inputs.path, outs: { path: inputs.path, root: inputs.root, contents: inputs.contents } };
    },
    async read(id, props) {
        const fs = require("node:fs") as typeof import("node:fs");
        const nodePath = require("node:path") as typeof import("node:path");
        if (!props) return { id: "", props: {} as EnvFileState };
        const target = nodePath.resolve(props.root, props.path);
        // A deleted file is gone; an edited one shows as drift and the next up writes it again.
        if (!fs.existsSync(target)) return { id: "", props: {} as EnvFileState };
        const state = { path: props.path, root: props.root, contents: fs.readFileSync(target, "utf8") };
        return { id, props: state, inputs: state } as pulumi.dynamic.ReadResult<EnvFileState>;
    },
    async update(_id, _olds, news) {
        const created = await envFileProvider.create(news);
        return { outs: created.outs };
    },
    async delete(_id, props) {
        const fs = require("node:fs") as typeof import("node:fs");
        const nodePath = require("node:path") as typeof import("node:path");
        fs.rmSync(nodePath.resolve(props.root, props.path), { force: true });
    },
};

/** The app's `.env.<env>` file (mode 0600), kept in step with the stack's outputs. */
export class EnvFile extends pulumi.dynamic.Resource {
    declare readonly path: pulumi.Output<string>;

    constructor(name: string, args: EnvFileInputs, opts?: pulumi.CustomResourceOptions) {
        super(
            envFileProvider,
            name,
            { path: args.path, root: args.root, contents: pulumi.secret(args.contents) },
            { ...opts, additionalSecretOutputs: ["contents"] },
            "gatehouse",
            "EnvFile",
        );
    }
}

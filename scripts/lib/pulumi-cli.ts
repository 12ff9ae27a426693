import { execFile, execFileSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse, stringify } from "yaml";
import { CONFIG_FILE_ENV } from "../../infra/config/constants";
import { scrub } from "../../infra/secrets/scrub";

export const PROJECT_DIR = resolve(__dirname, "..", "..");

export interface CommandResult {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
}

/** Starts a command in the project directory; `done` resolves with its exit code and output, never rejects. */
export function startCommand(
    command: string,
    args: readonly string[],
    options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): { child: ChildProcess; done: Promise<CommandResult> } {
    let resolveDone: (result: CommandResult) => void = () => undefined;
    const done = new Promise<CommandResult>((resolve) => (resolveDone = resolve));
    const child = execFile(command, args, { cwd: options.cwd ?? PROJECT_DIR, env: options.env ?? process.env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        // A command that could not start (ENOENT: not on PATH) has no output of its own: say why.
        resolveDone({ code, stdout, stderr: error && typeof error.code === "string" && stderr === "" ? `${command}: ${error.message}` : stderr });
    });
    return { child, done };
}

/** Runs a command in the project directory to completion. */
export function runCommand(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CommandResult> {
    return startCommand(command, args, options).done;
}

/** The project's settings for one throwaway stack, as they would appear under `config:` in Pulumi.<stack>.yaml. */
export type StackSettings = Record<string, unknown>;

export interface StackOptions {
    /** Receives the engine's output as it arrives (progress for long runs). */
    readonly onOutput?: (text: string) => void;
    /** Project directory; default: Gatehouse's own. */
    readonly cwd?: string;
    /** Namespace of the project's config keys; default `gatehouse`. */
    readonly project?: string;
    /** Environment variables the engine must not see (e.g. to prove a value comes from stack config). */
    readonly unsetEnv?: readonly string[];
}

/**
 * One stack of this project driven through the real `pulumi` CLI: either a throwaway stack on a temporary file
 * backend (`create`, config in a temp file passed with `--config-file`, so tests never touch the committed stack
 * files) or an existing stack of the user's (`attach`, using the caller's backend and environment).
 */
export class PulumiStack {
    readonly log: CommandResult[] = [];

    private readonly env: NodeJS.ProcessEnv;

    private constructor(
        /** Temporary directory holding the backend and config of a throwaway stack. */
        readonly dir: string | undefined,
        readonly stack: string,
        readonly configFile: string | undefined,
        env: NodeJS.ProcessEnv,
        private readonly options: StackOptions,
    ) {
        // Its own copy (siblings share a backend, not a config file): the program reads which settings are secret
        // from the stack's config file (infra/config/load.ts).
        this.env = { ...env, ...(configFile !== undefined && { [CONFIG_FILE_ENV]: configFile }) };
    }

    /** The environment the engine runs with (backend, passphrase): for other commands on the same stack. */
    get environment(): NodeJS.ProcessEnv {
        return { ...this.env };
    }

    /** An existing stack, on whatever backend the environment points at. */
    static attach(stack: string, options: StackOptions & { configFile?: string } = {}): PulumiStack {
        return new PulumiStack(undefined, stack, options.configFile, { ...process.env }, options);
    }

    static async create(stack: string, settings: StackSettings, secrets: Record<string, string>, options: StackOptions = {}): Promise<PulumiStack> {
        const dir = await mkdtemp(join(tmpdir(), "gatehouse-e2e-"));
        await mkdir(join(dir, "state"));
        const env: NodeJS.ProcessEnv = {
            ...process.env,
            PULUMI_BACKEND_URL: `file://${dir}/state`,
            PULUMI_CONFIG_PASSPHRASE: "gatehouse-e2e-passphrase",
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            // Types are checked by `npm run typecheck`; the engine run only needs the program transpiled.
            PULUMI_NODEJS_TRANSPILE_ONLY: "true",
        };
        for (const name of options.unsetEnv ?? []) delete env[name];
        const project = options.project ?? "gatehouse";
        try {
            const s = await PulumiStack.init(dir, stack, env, options, { config: Object.fromEntries(Object.entries(settings).map(([k, v]) => [`${project}:${k}`, v])) });
            for (const [path, value] of Object.entries(secrets)) await s.setSecret(path, value);
            return s;
        } catch (error) {
            // No stack to hand back, so nobody else would remove its folder.
            await rm(dir, { recursive: true, force: true });
            throw error;
        }
    }

    /** Another project's stack on this stack's backend (e.g. an app stack that references this one). */
    async sibling(stack: string, cwd: string): Promise<PulumiStack> {
        if (!this.dir) throw new Error("siblings live beside throwaway stacks only");
        return PulumiStack.init(this.dir, stack, this.env, { ...this.options, cwd }, {});
    }

    /**
     * `pulumi stack init`, with the stack's config kept in `dir`: init writes the passphrase salt to
     * Pulumi.<stack>.yaml in the project, which is moved into the temp config file so the working tree stays clean.
     */
    private static async init(dir: string, stack: string, env: NodeJS.ProcessEnv, options: StackOptions, document: Record<string, unknown>): Promise<PulumiStack> {
        const configFile = join(dir, `Pulumi.${stack}.yaml`);
        const projectFile = join(options.cwd ?? PROJECT_DIR, `Pulumi.${stack}.yaml`);
        // A stack file of the project's own (Pulumi.dev.yaml, …) must never be written to or removed.
        if (existsSync(projectFile)) throw new Error(`${projectFile} exists: throwaway stacks need a name the project does not use`);
        const s = new PulumiStack(dir, stack, configFile, env, options);
        await s.ok("stack", "init");
        const salt = (parse(await readFile(projectFile, "utf8")) as { encryptionsalt?: string } | null)?.encryptionsalt;
        await rm(projectFile, { force: true });
        await writeFile(configFile, stringify({ ...(salt && { encryptionsalt: salt }), ...document }));
        return s;
    }

    /** Runs `pulumi <args>` for this stack; never throws on a non-zero exit. */
    run(...args: string[]): Promise<CommandResult> {
        return this.start(...args).done;
    }

    /** Starts `pulumi <args>`; `child` can be signalled, e.g. to interrupt an update. */
    start(...args: string[]): { child: ChildProcess; done: Promise<CommandResult> } {
        // The stack's own flags go before a `--` (after it everything is an argument, e.g. a value starting with `-`).
        const end = args.indexOf("--");
        const full = [...(end < 0 ? args : args.slice(0, end)), "--stack", this.stack, "--non-interactive"];
        // `stack …` and `state …` subcommands take no --config-file; everything that evaluates config does.
        if (args[0] !== "stack" && args[0] !== "state" && this.configFile) full.push("--config-file", this.configFile);
        if (end >= 0) full.push(...args.slice(end));
        const { child, done: finished } = startCommand("pulumi", full, { cwd: this.options.cwd ?? PROJECT_DIR, env: this.env });
        const done = finished.then((result) => {
            this.log.push(result);
            return result;
        });
        const onOutput = this.options.onOutput;
        if (onOutput) {
            child.stdout?.on("data", (chunk: Buffer) => onOutput(chunk.toString()));
            child.stderr?.on("data", (chunk: Buffer) => onOutput(chunk.toString()));
        }
        return { child, done };
    }

    /**
     * `pulumi config set --secret --path <path> -- <value>`: `--` ends the flags, since a generated value may start with
     * `-`; on failure the value is masked in the message.
     */
    async setSecret(path: string, value: string): Promise<void> {
        const result = await this.run("config", "set", "--secret", "--path", path, "--", value);
        if (result.code === 0) return;
        const mask = (text: string) => scrub(text, [value]);
        throw new Error(`pulumi config set --secret --path ${path} [secret] failed (${result.code}):\n${mask(result.stdout)}\n${mask(result.stderr)}`);
    }

    /** Runs and throws with the engine's output when the command fails. */
    async ok(...args: string[]): Promise<CommandResult> {
        const result = await this.run(...args);
        if (result.code !== 0) throw new Error(`pulumi ${args.join(" ")} failed (${result.code}):\n${result.stdout}\n${result.stderr}`);
        return result;
    }

    up(...extra: string[]) {
        return this.ok("up", "--yes", "--skip-preview", "--diff", ...extra);
    }

    /** `pulumi preview --expect-no-changes`: fails when the stack would change. */
    expectNoChanges() {
        return this.ok("preview", "--expect-no-changes", "--diff");
    }

    refresh() {
        return this.ok("refresh", "--yes", "--skip-preview", "--diff");
    }

    destroy() {
        return this.ok("destroy", "--yes", "--skip-preview");
    }

    async outputs(showSecrets = false): Promise<Record<string, unknown>> {
        const args = ["stack", "output", "--json", ...(showSecrets ? ["--show-secrets"] : [])];
        return JSON.parse((await this.ok(...args)).stdout) as Record<string, unknown>;
    }

    /** The state as `pulumi stack export` prints it (secrets encrypted unless `showSecrets`). */
    async exportText(showSecrets = false): Promise<string> {
        return (await this.ok("stack", "export", ...(showSecrets ? ["--show-secrets"] : []))).stdout;
    }

    /** Resources in the stack's state. */
    async resources(showSecrets = false): Promise<{ type: string; urn: string; id?: string; outputs?: Record<string, unknown> }[]> {
        const exported = JSON.parse(await this.exportText(showSecrets)) as { deployment: { resources?: { type: string; urn: string; id?: string; outputs?: Record<string, unknown> }[] } };
        return exported.deployment.resources ?? [];
    }

    async remove(): Promise<void> {
        if (!this.dir) throw new Error("only throwaway stacks are removed");
        await this.run("stack", "rm", "--yes", "--force");
        await rm(this.dir, { recursive: true, force: true });
    }
}

/** The engine's version, or a clear error when no `pulumi` is on PATH. */
export function engineVersion(): string {
    try {
        return execFileSync("pulumi", ["version"], { encoding: "utf8" }).trim();
    } catch {
        throw new Error("no `pulumi` on PATH: run `npm test`, or `. testbed/pulumi/toolchain.sh`, which builds and exports the Pulumi engine");
    }
}

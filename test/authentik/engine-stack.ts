import { execFile, type ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { stringify } from "yaml";
import { TOKEN_ENV } from "../../infra/authentik/core/connection";
import type { CommandResult } from "../../scripts/lib/pulumi-cli";

export const FIXTURE_DIR = resolve(__dirname, "engine-fixture");
export const FIXTURE_PROJECT = "gatehouse-authentik-fixture";

/**
 * One stack of the engine fixture (test/authentik/engine-fixture) on a throwaway file backend, driven through the
 * real `pulumi` CLI. The same pattern as scripts/lib/pulumi-cli.ts's PulumiStack, for a different project directory.
 * The Authentik token is removed from the CLI's environment: the providers must get it from stack config.
 */
export class FixtureStack {
    readonly log: CommandResult[] = [];

    private constructor(
        readonly dir: string,
        readonly stack: string,
        readonly configFile: string,
        private readonly env: NodeJS.ProcessEnv,
    ) {}

    static async create(stack: string, settings: Record<string, unknown>, secrets: Record<string, string>): Promise<FixtureStack> {
        const dir = await mkdtemp(join(tmpdir(), "gatehouse-authentik-e2e-"));
        const configFile = join(dir, `Pulumi.${stack}.yaml`);
        await mkdir(join(dir, "state"));
        const env: NodeJS.ProcessEnv = {
            ...process.env,
            PULUMI_BACKEND_URL: `file://${dir}/state`,
            PULUMI_CONFIG_PASSPHRASE: "gatehouse-authentik-e2e",
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            PULUMI_NODEJS_TRANSPILE_ONLY: "true",
        };
        delete env[TOKEN_ENV];
        const s = new FixtureStack(dir, stack, configFile, env);
        await writeFile(configFile, stringify({ config: Object.fromEntries(Object.entries(settings).map(([k, v]) => [`${FIXTURE_PROJECT}:${k}`, v])) }));
        await s.ok("stack", "init");
        for (const [path, value] of Object.entries(secrets)) await s.setSecret(path, value);
        return s;
    }

    /** Sets a plain config value by path, e.g. `authentik.orgs[1]`. */
    setValue(path: string, value: string): Promise<CommandResult> {
        return this.ok("config", "set", "--path", path, value);
    }

    setSecret(path: string, value: string): Promise<CommandResult> {
        return this.ok("config", "set", "--secret", "--path", path, value);
    }

    /** Runs `pulumi <args>` for this stack; never throws on a non-zero exit. */
    run(...args: string[]): Promise<CommandResult> {
        return this.start(...args).done;
    }

    /** Starts `pulumi <args>`; `child` can be signalled (an interrupted update). */
    start(...args: string[]): { child: ChildProcess; done: Promise<CommandResult> } {
        const full = [...args, "--stack", this.stack, "--non-interactive"];
        if (args[0] !== "stack" && args[0] !== "state") full.push("--config-file", this.configFile);
        let child: ChildProcess | undefined;
        const done = new Promise<CommandResult>((resolve) => {
            child = execFile("pulumi", full, { cwd: FIXTURE_DIR, env: this.env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
                const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
                const result = { code, stdout, stderr };
                this.log.push(result);
                resolve(result);
            });
        });
        return { child: child as unknown as ChildProcess, done };
    }

    async ok(...args: string[]): Promise<CommandResult> {
        const result = await this.run(...args);
        if (result.code !== 0) throw new Error(`pulumi ${args.join(" ")} failed (${result.code}):\n${result.stdout}\n${result.stderr}`);
        return result;
    }

    up() {
        return this.ok("up", "--yes", "--skip-preview", "--diff");
    }

    refresh() {
        return this.ok("refresh", "--yes", "--skip-preview", "--diff");
    }

    destroy() {
        return this.ok("destroy", "--yes", "--skip-preview");
    }

    async outputs(showSecrets = false): Promise<Record<string, unknown>> {
        return JSON.parse((await this.ok("stack", "output", "--json", ...(showSecrets ? ["--show-secrets"] : []))).stdout) as Record<string, unknown>;
    }

    /** The state file as `pulumi stack export` prints it (secrets stay encrypted). */
    async exportText(): Promise<string> {
        return (await this.ok("stack", "export")).stdout;
    }

    async resources(): Promise<{ type: string; urn: string; id?: string; outputs?: Record<string, unknown> }[]> {
        const exported = JSON.parse(await this.exportText()) as { deployment: { resources?: { type: string; urn: string; id?: string; outputs?: Record<string, unknown> }[] } };
        return exported.deployment.resources ?? [];
    }

    async remove(): Promise<void> {
        await this.run("stack", "rm", "--yes", "--force");
        await rm(this.dir, { recursive: true, force: true });
    }
}

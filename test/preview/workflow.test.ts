import { execFileSync } from "node:child_process";
import { mkdtemp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { PROJECT_DIR, runCommand } from "../../scripts/lib/pulumi-cli";

/**
 * .github/workflows/preview.yml: actionlint finds nothing; the paths filter picks exactly the stacks a change
 * concerns; the comment step finds its stack's comment by the whole marker line and keeps one per stack.
 */
const WORKFLOW = join(PROJECT_DIR, ".github", "workflows", "preview.yml");

interface Step {
    readonly id?: string;
    readonly name?: string;
    readonly run?: string;
    readonly with?: { readonly script?: string };
}
const workflow = parse(readFileSync(WORKFLOW, "utf8")) as { jobs: Record<string, { steps: Step[] }> };
const step = (job: string, match: (s: Step) => boolean) => workflow.jobs[job]!.steps.find(match)!;

describe("the preview workflow", () => {
    it("passes actionlint", async () => {
        let version = "";
        try {
            version = execFileSync("actionlint", ["-version"], { encoding: "utf8" });
        } catch {
            throw new Error("no actionlint on PATH: run `. scripts/setup.sh` (testbed/pulumi/actionlint.sh builds it)");
        }
        expect(version).toMatch(/^v1\.7\.12\n/);
        const result = await runCommand("actionlint", ["-no-color", "-oneline", WORKFLOW]);
        expect(result.stdout + result.stderr).toBe("");
        expect(result.code).toBe(0);
    });

    it("pins every action it uses to a commit", () => {
        const uses = [...readFileSync(WORKFLOW, "utf8").matchAll(/uses:\s*(\S+)/g), ...readFileSync(join(PROJECT_DIR, ".github", "actions", "setup", "action.yml"), "utf8").matchAll(/uses:\s*(\S+)/g)].map((m) => m[1]!);
        expect(uses.length).toBeGreaterThan(4);
        for (const use of uses) expect(use, use).toMatch(/^(\.\/\.github\/actions\/[\w-]+|[\w-]+\/[\w-]+@[0-9a-f]{40})$/);
    });
});

describe("which stacks a change concerns", () => {
    let repo: string;
    afterAll(async () => repo && (await rm(repo, { recursive: true, force: true })));

    async function changedStacks(files: string[]): Promise<Record<string, string>> {
        repo ??= await mkdtemp(join(tmpdir(), "gatehouse-paths-"));
        const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.test", ...args], { cwd: repo, encoding: "utf8" }).trim();
        if (!existsSync(join(repo, ".git"))) git("init", "-q");
        await writeFile(join(repo, "README"), String(Math.random()));
        git("add", "-A");
        git("commit", "-q", "-m", "base");
        const base = git("rev-parse", "HEAD");
        for (const file of files) {
            await mkdir(join(repo, file, ".."), { recursive: true });
            await writeFile(join(repo, file), String(Math.random()));
        }
        git("add", "-A");
        git("commit", "-q", "-m", "change");
        const output = join(repo, "..", `${repo.split("/").pop()}.out`);
        await writeFile(output, "");
        execFileSync("bash", ["-e", "-o", "pipefail", "-c", step("changes", (s) => s.id === "filter").run!], { cwd: repo, env: { ...process.env, BASE: base, HEAD: git("rev-parse", "HEAD"), GITHUB_OUTPUT: output }, stdio: "pipe" });
        const lines = (await readFile(output, "utf8")).trim().split("\n");
        await rm(output);
        return Object.fromEntries(lines.map((line) => line.split(/=(.*)/s, 2) as [string, string]));
    }

    it("a stack file concerns its stack only", async () => {
        expect(await changedStacks(["Pulumi.qa.yaml"])).toEqual({ stacks: '["qa"]', early: "[]", qa: "true", prod: "false" });
        expect(await changedStacks(["Pulumi.dev.yaml", "Pulumi.test.yaml"])).toEqual({ stacks: '["dev","test"]', early: '["dev","test"]', qa: "false", prod: "false" });
    });

    it("shared code concerns every stack; other files none", async () => {
        expect((await changedStacks(["infra/authentik/group.ts"])).stacks).toBe('["dev","test","qa","prod"]');
        expect((await changedStacks(["docs/notes.md", "bench/run.ts", "Pulumi.prod.yaml.bak"])).stacks).toBe("[]");
    });
});

describe("posting the comment", () => {
    const script = step("comment", (s) => s.with?.script !== undefined).with!.script!;
    type Comment = { id: number; body: string; user: { login: string } };

    /** Runs the step's script against an in-memory pull request holding `comments`. */
    async function post(stack: string, body: string, comments: Comment[]): Promise<Comment[]> {
        const dir = await mkdtemp(join(tmpdir(), "gatehouse-comment-"));
        await mkdir(join(dir, "comment"));
        await writeFile(join(dir, "comment", `${stack}.md`), body);
        let next = 1000 + comments.filter((c) => c.id >= 1000).length;
        const rest = {
            issues: {
                listComments: async () => ({ data: comments }),
                createComment: async ({ body: text }: { body: string }) => void comments.push({ id: next++, body: text, user: { login: "github-actions[bot]" } }),
                updateComment: async ({ comment_id, body: text }: { comment_id: number; body: string }) => void (comments.find((c) => c.id === comment_id)!.body = text),
                deleteComment: async ({ comment_id }: { comment_id: number }) => void comments.splice(comments.findIndex((c) => c.id === comment_id), 1),
            },
        };
        const github = { rest, paginate: async (fn: () => Promise<{ data: Comment[] }>) => [...(await fn()).data] };
        const context = { serverUrl: "https://github.com", repo: { owner: "acme", repo: "gatehouse" }, runId: 7, issue: { number: 12 }, payload: { pull_request: { head: { sha: "abcdef0123456789" } } } };
        const core = { info: () => undefined, warning: () => undefined, setFailed: (m: string) => { throw new Error(m); } };
        const cwd = process.cwd();
        process.env.STACK = stack;
        process.chdir(dir);
        try {
            const run = new Function("require", "github", "context", "core", `return (async () => {\n${script}\n})();`) as (...args: unknown[]) => Promise<void>;
            await run(require, github, context, core);
        } finally {
            process.chdir(cwd);
            delete process.env.STACK;
            await rm(dir, { recursive: true, force: true });
        }
        return comments;
    }
    const mark = (stack: string, project = "gatehouse") => `<!-- gatehouse-preview project="${project}" stack="acme/${project}/${stack}" -->`;
    const comment = (stack: string, text: string) => `${mark(stack)}\n### Pulumi preview\n\n${text}\n`;

    it("creates one comment per stack, then updates it in place", async () => {
        const comments: Comment[] = [{ id: 1, body: "LGTM", user: { login: "alice" } }];
        await post("dev", comment("dev", "1 to update"), comments);
        await post("dev2", comment("dev2", "2 to update"), comments);
        await post("dev", comment("dev", "3 to update"), comments);
        expect(comments.map((c) => [c.id, c.body.split("\n")[0], c.body.includes("to update") ? c.body.match(/\d to update/)![0] : c.body])).toEqual([
            [1, "LGTM", "LGTM"],
            [1000, mark("dev"), "3 to update"],
            [1001, mark("dev2"), "2 to update"],
        ]);
        expect(comments[1]!.body).toContain("Preview of abcdef0 · [workflow run](https://github.com/acme/gatehouse/actions/runs/7)");
    });

    it("never takes another project's, a person's, or a quoted marker's comment, and removes a second one of its own", async () => {
        const comments: Comment[] = [
            { id: 1, body: comment("dev", "old"), user: { login: "mallory" } },
            { id: 2, body: `> ${mark("dev")}`, user: { login: "github-actions[bot]" } },
            { id: 3, body: `${mark("dev", "other")}\nother project`, user: { login: "github-actions[bot]" } },
            { id: 4, body: comment("dev", "ours"), user: { login: "github-actions[bot]" } },
            { id: 5, body: comment("dev", "a duplicate"), user: { login: "github-actions[bot]" } },
        ];
        await post("dev", comment("dev", "new"), comments);
        expect(comments.map((c) => c.id)).toEqual([1, 2, 3, 4]);
        expect(comments[3]!.body).toContain("new");
        expect(comments[0]!.body).toContain("old");
    });

    it("stays quiet about a stack without changes until it has a comment", async () => {
        const comments: Comment[] = [];
        await post("qa", comment("qa", "No changes: the stack is up to date."), comments);
        expect(comments).toEqual([]);
        await post("qa", comment("qa", "1 to update"), comments);
        await post("qa", comment("qa", "No changes: the stack is up to date."), comments);
        expect(comments).toHaveLength(1);
        expect(comments[0]!.body).toContain("No changes");
    });
});

import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { maskText } from "./lib/preview/mask";
import { PreviewInputError } from "./lib/preview/model";
import { MAX_COMMENT_LENGTH, renderComment, type RenderedComment } from "./lib/preview/render";
import { livePreview, PREVIEW_ARGS, savedPreview, type StackPreview } from "./lib/preview/source";

const USAGE = `usage: npm run preview-comment -- --stack <stack> [--stack <stack>…] [options]

Renders one pull-request comment per stack from \`pulumi ${PREVIEW_ARGS.join(" ")}\`: warnings first (secret
rotations, replaced or deleted databases, roles, groups, users, providers, applications and bindings, protected
resources touched), a create/update/replace/delete/unchanged summary, then each change in words with its property
diff folded. Every secret, and every value that looks like one, is shown as [secret]. A comment stays under
${MAX_COMMENT_LENGTH.toLocaleString("en-US")} characters: detail is trimmed from the end, and the comment says what is left out.

Its first line is a hidden marker naming the project and the fully qualified stack,
  <!-- gatehouse-preview project="<project>" stack="<org>/<project>/<stack>" -->
by which .github/workflows/preview.yml updates that stack's comment in place.

Options:
  --stack <stack>       a stack of the current backend (repeatable); org/project/stack is accepted
  --json-dir <dir>      read <dir>/<stack>.json saved from \`pulumi ${PREVIEW_ARGS.join(" ")}\` instead of running it
  --out-dir <dir>       also write each comment to <dir>/<stack>.md
  --show-outputs        add the stack's current outputs (masked); left out by default
  --config-file <file>  pass to pulumi (one --stack only), as with \`pulumi preview --config-file\`
  --help                this text

Comments go to stdout, separated by a line "--- 8< --- <org>/<project>/<stack> ---"; progress to stderr.
Exit status: 0 rendered; 3 rendered, but a preview failed (the engine's error is in its comment);
1 bad input (not a preview, an empty preview, a stack that does not exist); 2 usage.`;

class UsageError extends Error {}

interface Options {
    readonly stacks: string[];
    readonly jsonDir?: string;
    readonly outDir?: string;
    readonly showOutputs: boolean;
    readonly configFile?: string;
}

function options(argv: string[]): Options | "help" {
    let values;
    try {
        ({ values } = parseArgs({
            args: argv,
            options: {
                stack: { type: "string", multiple: true },
                "json-dir": { type: "string" },
                "out-dir": { type: "string" },
                "show-outputs": { type: "boolean", default: false },
                "config-file": { type: "string" },
                help: { type: "boolean", default: false },
            },
        }));
    } catch (error) {
        throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    if (values.help) return "help";
    const stacks = values.stack ?? [];
    if (stacks.length === 0) throw new UsageError("--stack is required");
    if (values["config-file"] !== undefined && stacks.length > 1) throw new UsageError("--config-file goes with one --stack: each stack has its own config file");
    const short = stacks.map((s) => s.split("/").pop()!);
    const twice = short.find((s, i) => short.indexOf(s) !== i);
    if (twice !== undefined) throw new UsageError(`stack ${twice} is named twice`);
    return {
        stacks,
        showOutputs: values["show-outputs"],
        ...(values["json-dir"] !== undefined && { jsonDir: values["json-dir"] }),
        ...(values["out-dir"] !== undefined && { outDir: values["out-dir"] }),
        ...(values["config-file"] !== undefined && { configFile: values["config-file"] }),
    };
}

const progress = (line: string) => process.stderr.write(`preview-comment: ${line}\n`);

async function load(stack: string, opts: Options): Promise<StackPreview> {
    if (opts.jsonDir !== undefined) return savedPreview(opts.jsonDir, stack, { progress });
    return livePreview(stack, { ...(opts.configFile !== undefined && { configFile: opts.configFile }), progress });
}

async function main(argv: string[]): Promise<number> {
    const opts = options(argv);
    if (opts === "help") {
        console.log(USAGE);
        return 0;
    }
    let failed = false;
    let bad = false;
    let first = true;
    for (const name of opts.stacks) {
        let loaded: StackPreview;
        try {
            loaded = await load(name, opts);
        } catch (error) {
            if (!(error instanceof PreviewInputError)) throw error;
            progress(`${name}: ${error.message}`);
            bad = true;
            continue;
        }
        const comment: RenderedComment = renderComment(loaded.preview, { project: loaded.project, stack: loaded.stack, showOutputs: opts.showOutputs });
        if (!first) process.stdout.write(`\n--- 8< --- ${loaded.stack} ---\n\n`);
        first = false;
        process.stdout.write(comment.markdown);
        if (opts.outDir !== undefined) {
            await mkdir(opts.outDir, { recursive: true });
            await writeFile(join(opts.outDir, `${loaded.stack.split("/").pop()}.md`), comment.markdown);
        }
        const what = comment.failed ? "the preview FAILED" : comment.changes === 0 ? "no changes" : `${comment.changes} resources change`;
        progress(`${loaded.stack}: ${what}; comment of ${comment.markdown.length.toLocaleString("en-US")} characters${comment.trimmed ? " (trimmed)" : ""}`);
        failed ||= comment.failed;
    }
    return bad ? 1 : failed ? 3 : 0;
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (error: unknown) => {
            process.stderr.write(`preview-comment: ${maskText(error instanceof Error ? error.message : String(error))}\n`);
            if (error instanceof UsageError) process.stderr.write("run `npm run preview-comment -- --help` for usage\n");
            process.exit(error instanceof UsageError ? 2 : 1);
        },
    );
}

import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, posix, resolve } from "node:path";

/**
 * Builds `@gatehouse/authentik-providers` under node_modules: the Authentik providers' sources (infra/authentik/
 * providers.ts and what it requires, relative imports only) transpiled to CommonJS, so the dynamic-provider process,
 * plain node without a TypeScript loader, can `require` them by name (see by-name.ts). The program checks it on
 * load and rebuilds it when a source changed; `npm install` builds it too (package.json `prepare`), so `pulumi
 * refresh` and `destroy`, which do not run the program, find it after a fresh install.
 *
 * Layout: `<hash>/…` holds one build (content-addressed, written aside and renamed into place), `index.js` points at
 * the current one, `current.json` lists its sources and their hashes. Concurrent builders write the same bytes.
 */

export const PROVIDER_PACKAGE = "@gatehouse/authentik-providers";
/** Set to 1 to serialize every provider in full into state instead (as before the package existed). */
export const INLINE_PROVIDERS_ENV = "GATEHOUSE_INLINE_PROVIDERS";

const ENTRY = "infra/authentik/providers.ts";
/** Bumped when the layout or the transpile options change, so an older build is never taken as current. */
const BUILDER_VERSION = "1";
const STALE_BUILD_MS = 60 * 60 * 1000;

export interface PackageLocation {
    /** Project root: where `infra/` is. */
    readonly root: string;
    /** The node_modules the provider process resolves from. */
    readonly nodeModules: string;
}

export const PROJECT: PackageLocation = (() => {
    const root = resolve(__dirname, "..", "..", "..");
    return { root, nodeModules: join(root, "node_modules") };
})();

interface Current {
    readonly hash: string;
    /** Source path (relative to the root, posix) → sha256 of its text. */
    readonly sources: Record<string, string>;
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

export function packageDir(at: PackageLocation): string {
    return join(at.nodeModules, ...PROVIDER_PACKAGE.split("/"));
}

/** Whether the package's current build was made from exactly the sources there are now. */
export function isCurrent(at: PackageLocation): boolean {
    const dir = packageDir(at);
    let current: Current;
    try {
        current = JSON.parse(readFileSync(join(dir, "current.json"), "utf8")) as Current;
    } catch {
        return false;
    }
    if (!existsSync(join(dir, current.hash)) || !existsSync(join(dir, "index.js"))) return false;
    return Object.entries(current.sources).every(([path, hash]) => {
        try {
            return sha256(readFileSync(join(at.root, path), "utf8")) === hash;
        } catch {
            return false;
        }
    });
}

/** `./core/kind` from `infra/authentik/user.ts` → `infra/authentik/core/kind.ts`. */
function resolveSource(at: PackageLocation, from: string, specifier: string): string {
    const base = posix.normalize(posix.join(posix.dirname(from), specifier));
    for (const candidate of [`${base}.ts`, `${base}/index.ts`]) if (existsSync(join(at.root, candidate))) return candidate;
    throw new Error(`${from} requires ${specifier}, which is not a TypeScript source under ${at.root}`);
}

/** Transpiles the entry and everything it requires relatively; returns JavaScript by output path, and the sources. */
function transpileGraph(at: PackageLocation): { outputs: Map<string, string>; sources: Record<string, string>; tsVersion: string } {
    const ts = require("typescript") as typeof import("typescript");
    const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, sourceMap: false };
    const outputs = new Map<string, string>();
    const sources: Record<string, string> = {};
    const queue = [ENTRY];
    for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
        if (sources[path] !== undefined) continue;
        const text = readFileSync(join(at.root, path), "utf8");
        sources[path] = sha256(text);
        const js = ts.transpileModule(text, { compilerOptions, fileName: path }).outputText;
        outputs.set(path.replace(/\.ts$/, ".js"), js);
        for (const match of js.matchAll(/\brequire\("(\.\.?\/[^"]+)"\)/g)) queue.push(resolveSource(at, path, match[1]!));
    }
    return { outputs, sources, tsVersion: ts.version };
}

/** Writes `text` to `file` through a temporary file and a rename, so a reader sees the old or the new file whole. */
function writeAtomically(file: string, text: string): void {
    const temp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    writeFileSync(temp, text);
    renameSync(temp, file);
}

/** Removes builds (and abandoned temporary folders) other than `keep` that are older than an hour. */
function removeStaleBuilds(dir: string, keep: string): void {
    for (const name of readdirSync(dir)) {
        if (name === keep || !/^[0-9a-f]{16}($|\.)/.test(name)) continue;
        const path = join(dir, name);
        try {
            if (Date.now() - statSync(path).mtimeMs > STALE_BUILD_MS) rmSync(path, { recursive: true, force: true });
        } catch {
            // Another builder removed it first.
        }
    }
}

/** Builds the package from the sources there are now; returns the build's hash. */
export function buildProviderPackage(at: PackageLocation = PROJECT): string {
    const { outputs, sources, tsVersion } = transpileGraph(at);
    const digest = createHash("sha256").update(`${BUILDER_VERSION}\0${tsVersion}\0`);
    for (const [path, js] of [...outputs.entries()].sort(([a], [b]) => a.localeCompare(b))) digest.update(`${path}\0${js}\0`);
    const hash = digest.digest("hex").slice(0, 16);
    const dir = packageDir(at);
    mkdirSync(dir, { recursive: true });
    const build = join(dir, hash);
    if (!existsSync(build)) {
        const staging = `${build}.${process.pid}.${randomBytes(4).toString("hex")}`;
        for (const [path, js] of outputs) {
            mkdirSync(dirname(join(staging, path)), { recursive: true });
            writeFileSync(join(staging, path), js);
        }
        try {
            renameSync(staging, build);
        } catch {
            // A concurrent builder put the same build in place first.
            rmSync(staging, { recursive: true, force: true });
        }
    }
    const manifest = { name: PROVIDER_PACKAGE, version: "0.0.0", private: true, main: "index.js", description: "Built by infra/authentik/core/provider-package.ts from the project's sources; do not edit." };
    writeAtomically(join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    writeAtomically(join(dir, "index.js"), `"use strict";\n// Built from ${ENTRY} (see current.json).\nmodule.exports = require("./${hash}/${ENTRY.replace(/\.ts$/, ".js")}");\n`);
    writeAtomically(join(dir, "current.json"), `${JSON.stringify({ hash, sources } satisfies Current, null, 2)}\n`);
    removeStaleBuilds(dir, hash);
    return hash;
}

let ready: boolean | undefined;

/**
 * Whether resources may carry provider stubs: the package is current (built now if it was not). Only a process
 * running these very sources (`.ts`: the program under ts-node, the tests) checks; a compiled copy (the package
 * itself, in the provider process) never builds, and its resources carry their providers in full.
 */
export function ensureProviderPackage(): boolean {
    if (ready !== undefined) return ready;
    if (!__filename.endsWith(".ts") || process.env[INLINE_PROVIDERS_ENV] === "1") return (ready = false);
    try {
        if (!isCurrent(PROJECT)) buildProviderPackage(PROJECT);
        ready = true;
    } catch (error) {
        console.warn(`Gatehouse: cannot build ${PROVIDER_PACKAGE} (${(error as Error).message}); every Authentik resource carries its provider's code in state instead`);
        ready = false;
    }
    return ready;
}

// `npm install` (package.json `prepare`): build it, so refresh and destroy find it before any program ran. Never
// fails the install: without sources (a dependencies-only layer) or on error the program builds it, or falls back.
if (require.main === module) {
    try {
        if (existsSync(join(PROJECT.root, ENTRY))) console.log(`${PROVIDER_PACKAGE}: build ${buildProviderPackage(PROJECT)}`);
    } catch (error) {
        console.warn(`${PROVIDER_PACKAGE}: not built (${(error as Error).message}); the program builds it on its next run`);
    }
}

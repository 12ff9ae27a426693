import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { byName, providerLoader, registeredNames, registeredProvider } from "../../infra/authentik/core/by-name";
import { buildProviderPackage, ensureProviderPackage, isCurrent, packageDir, PROVIDER_PACKAGE, type PackageLocation } from "../../infra/authentik/core/provider-package";

/**
 * `@gatehouse/authentik-providers`: what each Authentik resource's serialized stub loads by name in the
 * dynamic-provider process (plain node, no TypeScript loader), built from infra/authentik by the program.
 */

const PROJECT_DIR = resolve(__dirname, "..", "..");

/** Runs a script in plain node from the project directory, as the dynamic-provider process runs. */
function inPlainNode(script: string): unknown {
    return JSON.parse(execFileSync("node", ["-e", script], { cwd: PROJECT_DIR, encoding: "utf8" }));
}

/** The `__provider` text a resource of this provider carries into state. */
async function serializedLoader(name: string): Promise<string> {
    const serialized = byName(name, registeredProvider(name)).serialized();
    return typeof serialized === "string" ? serialized : await new Promise<string>((resolve) => pulumi.output(serialized).apply(resolve));
}

beforeAll(async () => {
    await import("../../infra/authentik/providers");
    expect(ensureProviderPackage()).toBe(true);
});

describe("the provider package", () => {
    it("serves every provider a module registers, with the same methods, to plain node", () => {
        const here = Object.fromEntries(registeredNames().map((name) => [name, Object.keys(registeredProvider(name)).sort()]));
        const there = inPlainNode(`
            const p = require(${JSON.stringify(PROVIDER_PACKAGE)});
            console.log(JSON.stringify(Object.fromEntries(p.names().map((n) => [n, Object.keys(p.provider(n)).sort()]))));
        `);
        expect(there).toEqual(here);
        // Every byName call site in infra/ is reached from the package's entry (infra/authentik/providers.ts).
        const sources = execFileSync("grep", ["-rhoE", 'byName\\("[A-Za-z0-9]+"', join(PROJECT_DIR, "infra")], { encoding: "utf8" });
        const declared = [...new Set(sources.split("\n").filter(Boolean).map((s) => s.slice('byName("'.length, -1)))].sort();
        expect(Object.keys(here).sort()).toEqual(declared);
    });

    it("fails a name it does not know, naming the ones it has", () => {
        expect(() => registeredProvider("Nope")).toThrow(/has no provider named "Nope"; known: .*User/);
    });
});

describe("a resource's serialized provider", () => {
    it("is a loader of a few hundred bytes: no code of the core, no absolute path, token or schema", async () => {
        for (const name of registeredNames()) {
            const text = await serializedLoader(name);
            expect(text).toBe(providerLoader(name));
            expect(text.length).toBeLessThan(320);
            expect(text).toContain(PROVIDER_PACKAGE);
            expect(text).toContain(JSON.stringify(name));
            expect(text).not.toContain(PROJECT_DIR);
            expect(text).not.toContain("coreUsersCreate");
            expect(text).not.toMatch(/zod/i);
        }
    });

    it("says what to do where the package is missing", () => {
        const dir = mkdtempSync(join(tmpdir(), "gatehouse-no-package-"));
        try {
            const script = `try { require("${require.resolve("require-from-string")}")(${JSON.stringify(providerLoader("User"))}).handler(); } catch (e) { console.log(JSON.stringify(e.message)); }`;
            const message = JSON.parse(execFileSync("node", ["-e", script], { cwd: dir, encoding: "utf8" })) as string;
            expect(message).toMatch(/^cannot load @gatehouse\/authentik-providers from .* \(run `pulumi preview` or `npm install` there\): Cannot find module '@gatehouse\/authentik-providers'$/);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    // The fallback, every provider serialized in full (GATEHOUSE_INLINE_PROVIDERS=1, or a package that cannot be
    // built), runs through the real engine in test/authentik/legacy-state.test.ts.

    it("runs check and diff in plain node exactly as the provider in this process does", async () => {
        const news = { url: "http://authentik.test/", username: " alice ", name: "Alice", groups: ["g2", "g1"] };
        const here = await registeredProvider("User").check!({}, news);
        const olds = { ...here.inputs, pk: 7, __provider: "(the full closure an older Gatehouse serialized)" };
        const there = inPlainNode(`
            const provider = require("require-from-string")(${JSON.stringify(await serializedLoader("User"))}).handler();
            (async () => {
                const checked = await provider.check({}, ${JSON.stringify(news)});
                const reordered = { ...checked.inputs, groups: ["g1", "g2"], __provider: "stub" };
                const diff = await provider.diff("7", ${JSON.stringify(olds)}, reordered);
                console.log(JSON.stringify({ checked, changes: diff.changes, replaces: diff.replaces }));
            })();
        `);
        expect(there).toEqual({ checked: here, changes: false, replaces: [] });
    });
});

describe("building the package", () => {
    let root: string;
    let at: PackageLocation;
    const write = (path: string, text: string) => {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), text);
    };

    beforeAll(() => {
        root = mkdtempSync(join(tmpdir(), "gatehouse-provider-package-"));
        at = { root, nodeModules: join(root, "node_modules") };
        write("infra/authentik/providers.ts", 'import { x } from "./core/a";\nimport type { T } from "./core/types";\nexport const names = (): T[] => [x];\n');
        write("infra/authentik/core/a.ts", 'import { y } from "../../shared/b";\nexport const x = `a${y}`;\n');
        write("infra/authentik/core/types.ts", "export type T = string;\n");
        write("infra/shared/b.ts", 'export const y = "b";\n');
    });

    afterAll(() => rmSync(root, { recursive: true, force: true }));

    it("transpiles the entry and what it requires at run time, and points index.js at the build", () => {
        expect(isCurrent(at)).toBe(false);
        const hash = buildProviderPackage(at);
        const dir = packageDir(at);
        expect(readdirSync(join(dir, hash, "infra"), { recursive: true }).map(String).sort()).toEqual(["authentik", "authentik/core", "authentik/core/a.js", "authentik/providers.js", "shared", "shared/b.js"]);
        expect(JSON.parse(readFileSync(join(dir, "package.json"), "utf8"))).toMatchObject({ name: PROVIDER_PACKAGE, main: "index.js" });
        expect(execFileSync("node", ["-e", `console.log(require(${JSON.stringify(dir)}).names().join())`], { encoding: "utf8" }).trim()).toBe("ab");
        expect(isCurrent(at)).toBe(true);
        expect(buildProviderPackage(at)).toBe(hash);
    });

    it("is stale once a source changes, and a rebuild leaves recent builds for processes still reading them", () => {
        const before = JSON.parse(readFileSync(join(packageDir(at), "current.json"), "utf8")).hash as string;
        write("infra/shared/b.ts", 'export const y = "c";\n');
        expect(isCurrent(at)).toBe(false);
        const after = buildProviderPackage(at);
        expect(after).not.toBe(before);
        expect(readdirSync(packageDir(at))).toContain(before);
        // An hour later the old build goes with the next one.
        const old = new Date(Date.now() - 2 * 60 * 60 * 1000);
        utimesSync(join(packageDir(at), before), old, old);
        write("infra/shared/b.ts", 'export const y = "d";\n');
        buildProviderPackage(at);
        expect(readdirSync(packageDir(at))).not.toContain(before);
        expect(readdirSync(packageDir(at))).toContain(after);
    });

    it("refuses a relative require that is not a source", () => {
        write("infra/authentik/providers.ts", 'import { z } from "./core/missing";\nexport const names = () => [z];\n');
        expect(() => buildProviderPackage(at)).toThrow("infra/authentik/providers.ts requires ./core/missing, which is not a TypeScript source");
    });
});

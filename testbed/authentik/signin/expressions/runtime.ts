/**
 * The Python runtime: pyodide, loaded once per process on first use (about 2 s) and shared by every evaluation.
 * The shim package (python/ak_emulator/*.py) is written into pyodide's in-memory file system and imported once;
 * each evaluation then costs a call into its entry points, which take and return JSON text only.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { PyodideAPI } from "pyodide";

const PACKAGE = "ak_emulator";
const SOURCE_DIR = join(__dirname, "python", PACKAGE);
const SITE_DIR = "/emulator";

export interface PythonRuntime {
    /** runner.evaluate: one mapping */
    evaluate(payload: string): string;
    /** runner.claims: UserInfoView.get_claims over several mappings */
    claims(payload: string): string;
    /** how long loading took, in ms */
    readonly loadMs: number;
}

let loading: Promise<PythonRuntime> | undefined;

/** The shared runtime, loaded on first call. A failed load is not cached, so the next call tries again. */
export function pythonRuntime(): Promise<PythonRuntime> {
    loading ??= load().catch((error: unknown) => {
        loading = undefined;
        throw error;
    });
    return loading;
}

async function load(): Promise<PythonRuntime> {
    const started = performance.now();
    const { loadPyodide } = await import("pyodide");
    // print() in an expression goes to authentik's worker output, which the emulator does not keep
    const py: PyodideAPI = await loadPyodide({ stdout: () => undefined, stderr: () => undefined });
    py.FS.mkdirTree(`${SITE_DIR}/${PACKAGE}`);
    for (const file of readdirSync(SOURCE_DIR)) {
        if (file.endsWith(".py")) py.FS.writeFile(`${SITE_DIR}/${PACKAGE}/${file}`, readFileSync(join(SOURCE_DIR, file), "utf8"));
    }
    py.runPython(`import sys\nsys.path.insert(0, ${JSON.stringify(SITE_DIR)})\nimport ${PACKAGE}.runner`);
    const runner = py.pyimport(`${PACKAGE}.runner`);
    const evaluate = runner.evaluate as (payload: string) => string;
    const claims = runner.claims as (payload: string) => string;
    return { evaluate: (payload) => evaluate(payload), claims: (payload) => claims(payload), loadMs: performance.now() - started };
}

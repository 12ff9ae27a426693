/**
 * Emulator benchmark: service time per request with 1,000 stored objects.
 *
 *   npx tsx bench/emulator.ts [--objects 1000] [--rounds 200]
 *
 * Besides the stored objects, 50 media files are uploaded (GET /admin/file/ lists them with the static assets).
 *
 * Service time is what the emulator's request log records (arrival of the request to the
 * end of the response). Target (issue #3): median < 2 ms. Loopback only, bounded loops.
 */
import { parseArgs } from "node:util";
import { startEmulator, type LogEntry } from "../testbed/authentik/index";
import { RawClient, providerBody } from "../testbed/authentik/testing";

function percentile(sorted: number[], p: number): number {
    if (sorted.length === 0) return NaN;
    const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
    return sorted[i] as number;
}

async function main(): Promise<void> {
    const { values } = parseArgs({ options: { objects: { type: "string" }, rounds: { type: "string" } } });
    const objects = Number(values.objects ?? 1000);
    const rounds = Number(values.rounds ?? 200);
    const ak = await startEmulator({ token: "bench", strict: true });
    const api = new RawClient(ak.url, "bench");
    try {
        // --- fill: a quarter each of providers, applications, groups, users ---------------
        const quarter = Math.ceil(objects / 4);
        const base = await providerBody(api);
        const providerPks: number[] = [];
        for (let i = 0; i < quarter; i++) {
            const res = await api.post("/providers/oauth2/", { ...base, name: `provider-${i}` });
            if (res.status !== 201) throw new Error(`fill provider: ${res.status} ${res.text}`);
            providerPks.push(res.body.pk as number);
        }
        for (let i = 0; i < quarter; i++) {
            const res = await api.post("/core/applications/", { name: `App ${i}`, slug: `app-${i}`, provider: providerPks[i] });
            if (res.status !== 201) throw new Error(`fill application: ${res.status} ${res.text}`);
        }
        const groupPks: string[] = [];
        for (let i = 0; i < quarter; i++) {
            const res = await api.post("/core/groups/", { name: `group-${i}`, attributes: { i } });
            if (res.status !== 201) throw new Error(`fill group: ${res.status}`);
            groupPks.push(res.body.pk as string);
        }
        for (let i = 0; i < quarter; i++) {
            const res = await api.post("/core/users/", { username: `user-${i}`, name: `User ${i}`, groups: [groupPks[i]] });
            if (res.status !== 201) throw new Error(`fill user: ${res.status}`);
        }

        // --- media files (MediaFile: multipart upload, list by search, delete) -----------------
        const upload = async (name: string) => {
            const form = new FormData();
            form.append("file", new Blob([`<svg xmlns="http://www.w3.org/2000/svg"><title>${name}</title></svg>`], { type: "image/svg+xml" }), "logo.svg");
            form.append("name", name);
            form.append("usage", "media");
            const res = await fetch(`${ak.url}/api/v3/admin/file/`, { method: "POST", headers: { Authorization: "Bearer bench" }, body: form });
            if (res.status !== 200) throw new Error(`upload ${name}: ${res.status} ${await res.text()}`);
        };
        const FILES = 50;
        for (let i = 0; i < FILES; i++) await upload(`gatehouse/logo-${i}.svg`);

        // --- measure: the calls Gatehouse makes ------------------------------------------
        ak.clearLog();
        const started = performance.now();
        for (let r = 0; r < rounds; r++) {
            const i = r % quarter;
            await api.get(`/core/applications/app-${i}/`);
            await api.get(`/core/applications/?slug=app-${i}`);
            await api.get(`/providers/oauth2/${providerPks[i]}/`);
            await api.get(`/providers/oauth2/?name=provider-${i}`);
            await api.patch(`/providers/oauth2/${providerPks[i]}/`, { access_token_validity: `minutes=${(r % 50) + 1}` });
            await api.get("/flows/instances/?slug=default-provider-authorization-implicit-consent");
            await api.get("/propertymappings/provider/scope/?managed=goauthentik.io/providers/oauth2/scope-openid");
            await api.get(`/core/groups/?name=group-${i}`);
            await api.get(`/core/users/?username=user-${i}`);
            await api.get("/core/users/?page_size=20");
            const created = await api.post("/core/groups/", { name: `tmp-${r}` });
            await api.delete(`/core/groups/${created.body.pk as string}/`);
            await api.request("GET", `/application/o/app-${i}/.well-known/openid-configuration`);
            await api.get(`/admin/file/?search=${encodeURIComponent(`gatehouse/logo-${r % FILES}.svg`)}&usage=media`);
            if (r % 10 === 0) {
                await upload(`gatehouse/tmp-${r}.svg`);
                await api.delete(`/admin/file/?name=${encodeURIComponent(`gatehouse/tmp-${r}.svg`)}&usage=media`);
            }
        }
        const wall = performance.now() - started;
        const log: readonly LogEntry[] = ak.log;
        const all = log.map((e) => e.durationMs).sort((a, b) => a - b);
        const byOp = new Map<string, number[]>();
        for (const e of log) {
            const key = e.operationId ?? `${e.method} ${e.path.replace(/app-\d+/, "<slug>")}`;
            const list = byOp.get(key) ?? [];
            list.push(e.durationMs);
            byOp.set(key, list);
        }
        const stored =
            (await api.get("/providers/oauth2/?page_size=1")).body.pagination.count +
            (await api.get("/core/applications/?page_size=1")).body.pagination.count +
            (await api.get("/core/groups/?page_size=1")).body.pagination.count +
            (await api.get("/core/users/?page_size=1")).body.pagination.count;
        console.log(`authentik emulator benchmark: ${stored} stored objects, ${log.length} requests in ${wall.toFixed(0)} ms`);
        console.log("operation                                   n    median ms   p95 ms");
        for (const [op, times] of [...byOp.entries()].sort()) {
            times.sort((a, b) => a - b);
            console.log(`${op.padEnd(42)} ${String(times.length).padStart(4)} ${percentile(times, 50).toFixed(3).padStart(11)} ${percentile(times, 95).toFixed(3).padStart(8)}`);
        }
        const median = percentile(all, 50);
        console.log(`ALL${" ".repeat(39)} ${String(all.length).padStart(4)} ${median.toFixed(3).padStart(11)} ${percentile(all, 95).toFixed(3).padStart(8)}`);
        console.log(`median service time: ${median.toFixed(3)} ms (target < 2 ms) — ${median < 2 ? "OK" : "TOO SLOW"}`);
        if (ak.violations.length > 0) throw new Error(`schema violations: ${ak.violations.length}`);
        if (median >= 2) process.exitCode = 1;
    } finally {
        await ak.stop();
    }
}

main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
});

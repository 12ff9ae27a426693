import { beforeAll, describe, expect, it } from "vitest";
import { evaluateScopeMapping, ScopeMappingError } from "./evaluate";
import { buildFixture, type Fixture } from "./fixtures";

describe("expression shims", () => {
    let f: Fixture;
    const run = (expression: string, name?: string) => evaluateScopeMapping(f.mapping(expression, name), f.context);
    beforeAll(() => {
        f = buildFixture();
    });

    it("all_groups() has the direct and inherited groups, each once", async () => {
        const names = (await run("return [group.name for group in request.user.all_groups()]")) as string[];
        expect([...names].sort()).toEqual(["engineering", "everyone", "ops", "staff"]);
        expect(await run('return request.user.all_groups().values_list("name", flat=True).count()')).toBe(4);
    });

    it("groups/ak_groups are the direct groups; parents lead up the hierarchy", async () => {
        expect(await run("return [g.name for g in request.user.groups.all()]")).toEqual(["engineering", "ops"]);
        expect(await run('return request.user.groups.get(name="ops").parents.all()[0].name')).toBe("staff");
        expect(await run('return [str(g.pk) for g in user.groups.filter(name__in=["ops"])]')).toEqual([f.groups.ops.pk]);
        expect(await run('return ak_is_group_member(request.user, name="everyone")')).toBe(true);
        expect(await run('return ak_is_group_member(request.user, name="nobody")')).toBe(false);
    });

    it("user, request and token carry authentik's values", async () => {
        const value = await run(
            "return [user.username, user.uid, user.pk, str(user.uuid), request.user == user, user.is_superuser, " +
                "token.scope[0], token.user.email, provider.client_id, provider.application.slug, str(request.obj), " +
                "request.http_request, list(request.context), regex_replace(user.name, ' .*', '')]",
        );
        expect(value).toEqual([
            "alice",
            expect.stringMatching(/^[0-9a-f]{64}$/),
            f.user.pk,
            f.user.uuid,
            true,
            true,
            "openid",
            "alice@example.com",
            "wiki-client",
            "wiki",
            "Scope Mapping test mapping (test)",
            null,
            ["provider", "token"],
            "Alice",
        ]);
    });

    it("refuses an attribute the shims do not have, naming the mapping and the attribute", async () => {
        const error = await run("return request.user.foo", "custom: foo").catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ScopeMappingError);
        expect((error as ScopeMappingError).kind).toBe("not_emulated");
        expect((error as Error).message).toMatch(
            /^scope mapping "custom: foo": request\.user\.foo is not emulated \(the emulator's expression shims cover: .*all_groups.*\)$/,
        );
    });

    it("refuses what is not shimmed even when the expression catches exceptions", async () => {
        await expect(run("try:\n    return request.user.foo\nexcept Exception:\n    return 'fallback'")).rejects.toThrow(
            "request.user.foo is not emulated",
        );
        await expect(run("try:\n    return request.user.foo\nexcept:\n    return 'fallback'")).rejects.toThrow(
            "request.user.foo is not emulated",
        );
        await expect(run("return getattr(user, 'password', None)")).rejects.toThrow("user.password is not emulated");
    });

    it("refuses the HTTP request's META, globals that need the server, and non-stdlib imports", async () => {
        const context = { ...f.context, httpRequest: { method: "GET", path: "/application/o/userinfo/", headers: { "user-agent": "curl" } } };
        const inHttp = (expression: string) => evaluateScopeMapping(f.mapping(expression, "http"), context);
        expect(await inHttp("return [request.http_request.headers['User-Agent'], http_request.method]")).toEqual(["curl", "GET"]);
        await expect(inHttp('return request.http_request.META["REMOTE_ADDR"]')).rejects.toThrow(
            'scope mapping "http": request.http_request.META is not emulated',
        );
        await expect(run('return requests.get("https://example.com").json()')).rejects.toThrow("requests.get is not emulated");
        await expect(run('return ak_user_by(username="alice")')).rejects.toThrow("ak_user_by(...) is not emulated");
        await expect(run("import django\nreturn 1")).rejects.toThrow("import django is not emulated");
    });

    it("reports a syntax error with the mapping name", async () => {
        const error = (await run('return {"a": 1', "broken syntax").catch((e: unknown) => e)) as ScopeMappingError;
        expect(error.kind).toBe("syntax");
        expect(error.pythonType).toBe("SyntaxError");
        expect(error.message).toMatch(/^scope mapping "broken syntax": SyntaxError: .*\(broken syntax, line 2\)$/);
        expect(error.skippedByAuthentik).toBe(true);
    });

    it("reports a runtime error with the mapping name and authentik's traceback text", async () => {
        const error = (await run('x = 1\nreturn request.user.attributes["missing"]', "broken at runtime").catch(
            (e: unknown) => e,
        )) as ScopeMappingError;
        expect(error.kind).toBe("exception");
        expect(error.message).toBe(`scope mapping "broken at runtime": KeyError: 'missing'`);
        expect(error.traceback).toBe(
            [
                "Traceback (most recent call last):",
                '  File "broken at runtime", line 4, in <module>',
                '  File "broken at runtime", line 3, in handler',
                "builtins.KeyError: 'missing'",
            ].join("\n"),
        );
    });

    it("SkipObject is a control-flow exception authentik does not skip", async () => {
        await expect(run("raise SkipObject")).rejects.toMatchObject({ kind: "control_flow", skippedByAuthentik: false });
    });

    it("does not leak state between evaluations", async () => {
        expect(await run("global leaked\nleaked = 1\n__builtins__['sneaky'] = 2\nuser.attributes['mark'] = 3\nreturn leaked")).toBe(1);
        await expect(run("return leaked")).rejects.toThrow("NameError: name 'leaked' is not defined");
        await expect(run("return sneaky")).rejects.toThrow("NameError: name 'sneaky' is not defined");
        expect(await run("return 'mark' in user.attributes")).toBe(false);
        expect(f.user.attributes).toEqual({ shell: "/bin/zsh", tags: ["alice"] });
    });

    it("converts results to JSON as authentik's encoders do, refusing the rest", async () => {
        expect(await run("return {1: (1, 2), None: True, 'u': user.uuid}")).toEqual({ "1": [1, 2], null: true, u: f.user.uuid });
        await expect(evaluateScopeMapping(f.mapping("return user.uuid"), f.context, { encoder: "json" })).rejects.toThrow(
            "the result is not JSON serializable: Object of type UUID is not JSON serializable",
        );
        await expect(run("return {'a': {1, 2}}")).rejects.toThrow("Object of type set is not JSON serializable");
        await expect(run("return user.groups.all()")).rejects.toThrow("Object of type QuerySet is not JSON serializable");
        await expect(run("return float('nan')")).rejects.toMatchObject({ kind: "not_serializable" });
    });
});

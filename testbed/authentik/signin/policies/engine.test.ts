/**
 * The policy engine over a seeded Db. Every expectation follows authentik 2026.8's source:
 * - authentik/policies/engine.py: PolicyEngine._bindings_for (enabled, ordered), compute_static_bindings (group and
 *   user bindings counted into one PolicyResult(passing) without messages; any: passing > 0, all: passing == total;
 *   negate), _combine_results (no results → empty_result, True by default in _init_defaults);
 * - authentik/core/models.py: User.all_groups() = self.groups.all().with_ancestors();
 * - authentik/core/apps.py: AppAccessWithoutBindings (core_default_app_access) defaults to True;
 * - authentik/providers/scim/tests/test_app_policies.py (the same semantics through FilterPolicyEngine: hierarchy,
 *   negation, mode all, disabled bindings, the flag).
 */
import { beforeEach, describe, expect, it } from "vitest";
import { Db, type ApplicationRecord, type PolicyBindingRecord, type UserRecord } from "../../core/db";
import { newUuid, timestamp } from "../../core/fields";
import { newApplicationRecord } from "../../kinds/applications";
import { newUserRecord } from "../../kinds/users";
import { ADMIN_USERNAME, seed } from "../../seed";
import { APP_ACCESS_WITHOUT_BINDINGS, applicationAccess, evaluateBindings, PolicyEngineError } from "./engine";

let db: Db;

function addGroup(name: string, parents: string[] = []): string {
    const pk = newUuid();
    db.groups.set(pk, { pk, name, is_superuser: false, parents, attributes: {}, roles: [] });
    return pk;
}

function addUser(username: string, groups: string[] = []): UserRecord {
    const pk = db.nextUserPk();
    const user = { ...newUserRecord(timestamp()), pk, username, name: username, groups };
    db.users.set(pk, user);
    return user;
}

function addApp(slug: string, mode: "any" | "all" = "any"): ApplicationRecord {
    const app: ApplicationRecord = { ...newApplicationRecord(), name: slug, slug, policy_engine_mode: mode };
    db.applications.set(app.pk, app);
    return app;
}

function bind(app: ApplicationRecord, subject: Partial<Pick<PolicyBindingRecord, "group" | "user" | "policy">>, options: Partial<PolicyBindingRecord> = {}) {
    const pk = newUuid();
    db.policyBindings.set(pk, {
        pk,
        policy: null,
        group: null,
        user: null,
        target: app.pk,
        negate: false,
        enabled: true,
        order: 0,
        timeout: 30,
        failure_result: false,
        ...subject,
        ...options,
    });
}

const PASS = { passing: true, messages: [] };
const DENY = { passing: false, messages: [] };

beforeEach(() => {
    db = new Db();
    seed(db);
});

describe("applicationAccess (authentik/policies/engine.py PolicyEngine)", () => {
    it("an application without bindings admits everyone: empty_result True, AppAccessWithoutBindings default True", () => {
        const app = addApp("open");
        expect(APP_ACCESS_WITHOUT_BINDINGS).toBe(true);
        expect(applicationAccess(db, app, addUser("alice"))).toEqual(PASS);
        const admin = [...db.users.values()].find((u) => u.username === ADMIN_USERNAME) as UserRecord;
        expect(applicationAccess(db, app, admin)).toEqual(PASS);
        // a caller that sets empty_result from a flag set to False (core/apps.py AppAccessWithoutBindings)
        expect(applicationAccess(db, app, addUser("bob"), { emptyResult: false })).toEqual(DENY);
    });

    it("a group binding admits direct members and refuses others, without messages (static result)", () => {
        const app = addApp("staff-only");
        const staff = addGroup("staff");
        bind(app, { group: staff });
        expect(applicationAccess(db, app, addUser("member", [staff]))).toEqual(PASS);
        expect(applicationAccess(db, app, addUser("outsider", [addGroup("other")]))).toEqual(DENY);
        expect(applicationAccess(db, app, addUser("nobody"))).toEqual(DENY);
    });

    it("a group binding admits members of its descendant groups: all_groups() includes ancestors", () => {
        const app = addApp("engineering");
        const engineering = addGroup("engineering");
        const backend = addGroup("backend", [engineering]);
        const databases = addGroup("databases", [backend]);
        bind(app, { group: engineering });
        expect(applicationAccess(db, app, addUser("child", [backend]))).toEqual(PASS);
        expect(applicationAccess(db, app, addUser("grandchild", [databases]))).toEqual(PASS);
        // not the other way round: a binding to a child does not admit members of the parent only
        const childOnly = addApp("backend-only");
        bind(childOnly, { group: backend });
        expect(applicationAccess(db, childOnly, addUser("parent-member", [engineering]))).toEqual(DENY);
    });

    it("the superuser has no bypass: akadmin is refused by a group binding it is not in", () => {
        const app = addApp("no-admins");
        bind(app, { group: addGroup("staff") });
        const admin = [...db.users.values()].find((u) => u.username === ADMIN_USERNAME) as UserRecord;
        expect(applicationAccess(db, app, admin)).toEqual(DENY);
    });

    it("an inactive user is judged by the bindings alone (the engine does not read is_active)", () => {
        const app = addApp("inactive");
        const staff = addGroup("staff");
        bind(app, { group: staff });
        const user = addUser("gone", [staff]);
        user.is_active = false;
        expect(applicationAccess(db, app, user)).toEqual(PASS);
    });

    it("a user binding admits that user only", () => {
        const app = addApp("personal");
        const alice = addUser("alice");
        bind(app, { user: alice.pk });
        expect(applicationAccess(db, app, alice)).toEqual(PASS);
        expect(applicationAccess(db, app, addUser("bob"))).toEqual(DENY);
    });

    it("negate inverts a binding: everyone but the group, everyone but the user", () => {
        const app = addApp("not-contractors");
        const contractors = addGroup("contractors");
        bind(app, { group: contractors }, { negate: true });
        expect(applicationAccess(db, app, addUser("employee"))).toEqual(PASS);
        expect(applicationAccess(db, app, addUser("contractor", [contractors]))).toEqual(DENY);

        const notMallory = addApp("not-mallory");
        const mallory = addUser("mallory");
        bind(notMallory, { user: mallory.pk }, { negate: true });
        expect(applicationAccess(db, notMallory, mallory)).toEqual(DENY);
        expect(applicationAccess(db, notMallory, addUser("carol"))).toEqual(PASS);
    });

    it("a disabled binding is ignored; only disabled bindings mean no bindings (empty_result)", () => {
        const app = addApp("disabled");
        const staff = addGroup("staff");
        bind(app, { group: staff }, { enabled: false });
        expect(applicationAccess(db, app, addUser("anyone"))).toEqual(PASS);
        bind(app, { user: addUser("carol").pk });
        expect(applicationAccess(db, app, addUser("staffer", [staff]))).toEqual(DENY);
    });

    it("mode any: one passing binding of two is enough; mode all: both must pass", () => {
        const staff = addGroup("staff");
        const admins = addGroup("admins");
        const any = addApp("any", "any");
        const all = addApp("all", "all");
        for (const app of [any, all]) {
            bind(app, { group: staff }, { order: 0 });
            bind(app, { group: admins }, { order: 1 });
        }
        const onlyStaff = addUser("only-staff", [staff]);
        const both = addUser("both", [staff, admins]);
        const neither = addUser("neither");
        expect(applicationAccess(db, any, onlyStaff)).toEqual(PASS);
        expect(applicationAccess(db, any, both)).toEqual(PASS);
        expect(applicationAccess(db, any, neither)).toEqual(DENY);
        expect(applicationAccess(db, all, onlyStaff)).toEqual(DENY);
        expect(applicationAccess(db, all, both)).toEqual(PASS);
        expect(applicationAccess(db, all, neither)).toEqual(DENY);
    });

    it("mode all with a group and a negated user binding: member yes, the excluded member no", () => {
        const app = addApp("all-but", "all");
        const staff = addGroup("staff");
        const excluded = addUser("excluded", [staff]);
        bind(app, { group: staff });
        bind(app, { user: excluded.pk }, { negate: true, order: 1 });
        expect(applicationAccess(db, app, addUser("member", [staff]))).toEqual(PASS);
        expect(applicationAccess(db, app, excluded)).toEqual(DENY);
    });

    it("bindings of other targets do not count", () => {
        const app = addApp("mine");
        const other = addApp("theirs");
        bind(other, { group: addGroup("staff") });
        expect(applicationAccess(db, app, addUser("anyone"))).toEqual(PASS);
        // evaluateBindings is the same engine for any PolicyBindingModel pk, e.g. a flow
        const flow = db.flowBySlug("default-authentication-flow");
        expect(evaluateBindings(db, flow?.pk ?? "", "any", addUser("x"))).toEqual(PASS);
    });

    it("a binding with a policy cannot be evaluated: policies are not emulated", () => {
        const app = addApp("policy");
        bind(app, { policy: newUuid() });
        expect(() => applicationAccess(db, app, addUser("alice"))).toThrow(PolicyEngineError);
    });
});

/**
 * The generic model viewset: what DRF's ModelViewSet plus authentik's filter backends
 * and pagination (authentik/api/pagination.py) do for every object kind. Each kind
 * declares its fields, validation, serialization, filters and delete behaviour in
 * kinds/*.ts; this file turns that into list/retrieve/create/update/destroy.
 */
import type { IncomingHttpHeaders } from "node:http";
import { NotFound, noMatch } from "./errors";
import { FieldErrors, type Json, type JsonObject } from "./fields";
import { MSG, type DrfErrorObject } from "./drf";
import type { MultipartForm } from "./multipart";

export type Pk = string | number;

/** What a handler gets: parsed request parts. */
export interface ApiRequest {
    readonly method: string;
    readonly params: Readonly<Record<string, string>>;
    readonly query: URLSearchParams;
    /** parsed JSON body; already validated against the operation's request schema */
    readonly body: unknown;
    /** scheme://host the client used, for absolute URLs */
    readonly origin: string;
    /** request-schema violations of the body, already in DRF's field-keyed shape */
    readonly schemaErrors?: DrfErrorObject;
    /** the parsed body of a multipart/form-data operation (`body` then holds its text fields) */
    readonly form?: MultipartForm;
    /** the request's headers (session-authenticated operations read the cookie) */
    readonly headers: IncomingHttpHeaders;
    /** path and query string exactly as received (Django's request.get_full_path()) */
    readonly fullPath?: string;
}

export interface ApiResult {
    readonly status: number;
    readonly body?: unknown;
    /** extra response headers (Set-Cookie of session-authenticated operations) */
    readonly headers?: Readonly<Record<string, string | readonly string[]>>;
    /** a non-JSON body sent as is, unvalidated (Django's own pages: a 404 raised before DRF's handler) */
    readonly raw?: { readonly body: string; readonly type: string };
}

export interface FilterSpec<R> {
    /** how the query value is parsed (django-filter's form field) */
    readonly type: "string" | "bool" | "uuid" | "int" | "choice" | "model";
    readonly multi?: boolean;
    readonly choices?: readonly string[];
    /** for "model" filters: does the referenced object exist */
    readonly exists?: (value: string) => boolean;
    readonly test: (record: R, values: readonly string[]) => boolean;
}

export interface Kind<R extends { pk: Pk }> {
    /** model class name, used in "No X matches the given query." */
    readonly objectName: string;
    readonly pkType: "uuid" | "int";
    /** URL lookup (`lookup_field`); defaults to pk */
    readonly lookup?: (value: string) => R | undefined;
    readonly store: Map<Pk, R>;
    /** fields that are PrimaryKeyRelatedFields, for DRF error messages */
    readonly relations: ReadonlySet<string>;
    /** DRF validation of a schema-valid body; `existing` set on update; returns the stored record */
    readonly save: (body: JsonObject, existing: R | undefined, errors: FieldErrors) => R;
    readonly serialize: (record: R, req: ApiRequest) => JsonObject;
    readonly destroy: (record: R) => void;
    readonly filters: Readonly<Record<string, FilterSpec<R>>>;
    readonly search: (record: R) => ReadonlyArray<string | null | undefined>;
    /** viewset `ordering` */
    readonly ordering: readonly string[];
    /** value used for ordering by a field name; undefined = not orderable */
    readonly orderValue?: (record: R, field: string) => string | number | boolean | null | undefined;
}

const collator = new Intl.Collator("en", { sensitivity: "variant", numeric: false });

function compareValues(a: unknown, b: unknown): number {
    if (a === b) return 0;
    // PostgreSQL sorts NULLs last in ascending order.
    if (a === null || a === undefined) return 1;
    if (b === null || b === undefined) return -1;
    if (typeof a === "string" && typeof b === "string") return collator.compare(a, b);
    if (typeof a === "boolean" && typeof b === "boolean") return (a ? 1 : 0) - (b ? 1 : 0);
    return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

const TRUE_VALUES = new Set(["true", "True", "1"]);
const FALSE_VALUES = new Set(["false", "False", "0"]);

/** django-filter NullBooleanField: unknown values mean "no filter". */
function parseBool(value: string): boolean | undefined {
    if (TRUE_VALUES.has(value)) return true;
    if (FALSE_VALUES.has(value)) return false;
    return undefined;
}

export function boolFilter<R>(get: (r: R) => boolean): FilterSpec<R> {
    return {
        type: "bool",
        test: (r, [v]) => {
            const b = parseBool(v ?? "");
            return b === undefined || get(r) === b;
        },
    };
}

export function exactFilter<R>(get: (r: R) => string | number | null | undefined): FilterSpec<R> {
    return { type: "string", test: (r, [v]) => String(get(r) ?? "") === v };
}

export class Viewset<R extends { pk: Pk }> {
    constructor(readonly kind: Kind<R>) {}

    find(lookupValue: string): R {
        const kind = this.kind;
        if (kind.lookup) {
            const found = kind.lookup(lookupValue);
            if (!found) throw noMatch(kind.objectName);
            return found;
        }
        let pk: Pk | undefined;
        if (kind.pkType === "int") {
            pk = /^\d+$/.test(lookupValue) ? Number(lookupValue) : undefined;
        } else {
            const v = lookupValue.toLowerCase();
            pk = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(v) ? v : undefined;
        }
        // A value the pk field cannot parse: DRF's get_object_or_404 raises a bare Http404.
        if (pk === undefined) throw new NotFound(MSG.notFound);
        const record = kind.store.get(pk);
        if (!record) throw noMatch(kind.objectName);
        return record;
    }

    list(req: ApiRequest): ApiResult {
        const records = this.query(req);
        return { status: 200, body: this.paginate(records, req) };
    }

    /** Filtering (django-filter), search (SearchFilter) and ordering (OrderingFilter). */
    query(req: ApiRequest): R[] {
        const kind = this.kind;
        const errors = new FieldErrors();
        const active: Array<{ spec: FilterSpec<R>; values: string[] }> = [];
        for (const [name, spec] of Object.entries(kind.filters)) {
            const values = req.query.getAll(name);
            if (values.length === 0) continue;
            const used = spec.multi ? values : [values[values.length - 1] as string];
            // django-filter skips empty values (Filter.filter: `if value in EMPTY_VALUES: return qs`)
            if (used.every((v) => v === "")) continue;
            const message = this.checkFilterValues(spec, used);
            if (message) {
                errors.add(name, message);
                continue;
            }
            active.push({ spec, values: used.filter((v) => v !== "") });
        }
        errors.throwIfAny();

        const terms = (req.query.get("search") ?? "").replace(/\0/g, "").replace(/,/g, " ").split(/\s+/).filter(Boolean);
        const lowered = terms.map((t) => t.toLowerCase());

        const out: R[] = [];
        for (const record of kind.store.values()) {
            if (!active.every(({ spec, values }) => spec.test(record, values))) continue;
            if (lowered.length > 0) {
                const haystack = kind.search(record).map((s) => (s ?? "").toLowerCase());
                if (!lowered.every((term) => haystack.some((h) => h.includes(term)))) continue;
            }
            out.push(record);
        }
        const ordering = this.orderingFields(req.query.get("ordering"));
        out.sort((a, b) => {
            for (const field of ordering) {
                const desc = field.startsWith("-");
                const name = desc ? field.slice(1) : field;
                const c = compareValues(this.orderValue(a, name), this.orderValue(b, name));
                if (c !== 0) return desc ? -c : c;
            }
            return compareValues(a.pk, b.pk);
        });
        return out;
    }

    private checkFilterValues(spec: FilterSpec<R>, values: string[]): string | undefined {
        for (const v of values) {
            switch (spec.type) {
                case "uuid":
                    if (!/^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(v)) {
                        return "Enter a valid UUID.";
                    }
                    break;
                case "int":
                    if (!/^[+-]?\d+$/.test(v.trim())) return "Enter a whole number.";
                    break;
                case "choice":
                    if (!spec.choices?.includes(v)) {
                        return `Select a valid choice. ${v} is not one of the available choices.`;
                    }
                    break;
                case "model":
                    if (!spec.exists?.(v)) {
                        return "Select a valid choice. That choice is not one of the available choices.";
                    }
                    break;
                default:
                    break;
            }
        }
        return undefined;
    }

    private orderValue(record: R, field: string): unknown {
        if (field === "pk") return record.pk;
        if (this.kind.orderValue) return this.kind.orderValue(record, field);
        return (record as unknown as Record<string, unknown>)[field];
    }

    /** OrderingFilter drops unknown fields; when nothing valid remains the viewset default applies. */
    private orderingFields(param: string | null): string[] {
        if (param) {
            const valid = param
                .split(",")
                .map((f) => f.trim())
                .filter((f) => {
                    const name = f.startsWith("-") ? f.slice(1) : f;
                    if (!name) return false;
                    const sample = this.kind.store.values().next().value as R | undefined;
                    if (!sample) return true;
                    const v = this.orderValue(sample, name);
                    return v !== undefined;
                });
            if (valid.length > 0) return valid;
        }
        return [...this.kind.ordering];
    }

    /** authentik Pagination: page/page_size with the tenant's default (20) and maximum (100). */
    paginate(records: R[], req: ApiRequest, serialize?: (r: R) => JsonObject): JsonObject {
        const pageSize = pageSizeFor(req.query);
        const count = records.length;
        const numPages = count === 0 ? 1 : Math.ceil(count / pageSize);
        const rawPage = req.query.get("page");
        let page = 1;
        if (rawPage !== null) {
            if (rawPage === "last") page = numPages;
            else {
                const n = /^\s*[+-]?\d+\s*$/.test(rawPage) ? Number(rawPage) : NaN;
                if (!Number.isInteger(n) || n < 1 || n > numPages) throw new NotFound(MSG.invalidPage);
                page = n;
            }
        }
        const start = (page - 1) * pageSize;
        const slice = records.slice(start, start + pageSize);
        const toJson = serialize ?? ((r: R) => this.kind.serialize(r, req));
        return {
            pagination: {
                next: page < numPages ? page + 1 : 0,
                previous: page > 1 ? page - 1 : 0,
                count,
                current: page,
                total_pages: numPages,
                start_index: count === 0 ? 0 : start + 1,
                end_index: page === numPages ? count : page * pageSize,
            },
            results: slice.map(toJson) as Json[],
            autocomplete: {},
        };
    }

    retrieve(req: ApiRequest, lookup: string): ApiResult {
        return { status: 200, body: this.kind.serialize(this.find(lookup), req) };
    }

    create(req: ApiRequest, errors: FieldErrors): ApiResult {
        const record = this.kind.save(req.body as JsonObject, undefined, errors);
        return { status: 201, body: this.kind.serialize(record, req) };
    }

    /** PUT and PATCH differ only in the request schema (required fields); DRF's update() then
     * sets exactly the fields present in the body, for both. */
    update(req: ApiRequest, lookup: string, errors: FieldErrors): ApiResult {
        const existing = this.find(lookup);
        const record = this.kind.save(req.body as JsonObject, existing, errors);
        return { status: 200, body: this.kind.serialize(record, req) };
    }

    destroy(lookup: string): ApiResult {
        const record = this.find(lookup);
        this.kind.destroy(record);
        return { status: 204 };
    }
}

/** DRF PageNumberPagination.get_page_size with authentik's tenant-bound override. */
export function pageSizeFor(query: URLSearchParams): number {
    const DEFAULT = 20; // Tenant.pagination_default_page_size
    const MAX = 100; // Tenant.pagination_max_page_size
    const PAGE_SIZE_SETTING = 100; // REST_FRAMEWORK["PAGE_SIZE"], DRF's fallback for invalid values
    if (!query.has("page_size")) return DEFAULT;
    const raw = query.get("page_size") ?? "";
    // _positive_int(strict=True): int() parse, must be > 0, else the PAGE_SIZE setting.
    const n = /^\s*[+-]?\d+\s*$/.test(raw) ? Number(raw) : NaN;
    const size = Number.isInteger(n) && n > 0 ? n : PAGE_SIZE_SETTING;
    return Math.min(size, MAX);
}

/**
 * multipart/form-data parsing as Django's MultiPartParser does it (django/http/multipartparser.py),
 * which DRF's MultiPartParser wraps:
 * - a missing or malformed boundary raises MultiPartParserError, which DRF answers
 *   `400 {"detail": "Multipart form parse error - <message>"}`;
 * - a part with a `filename` is a file; its name is sanitized (HTML entities, the last path
 *   component, printable characters only), and a file part whose sanitized name is empty,
 *   "." or ".." is dropped;
 * - other parts are text fields (UTF-8);
 * - repeated keys keep every value; DRF's `QueryDict[key]` reads the last one.
 */

export interface UploadedFile {
    /** sanitized file name (`UploadedFile.name`) */
    readonly name: string;
    readonly contentType: string;
    readonly data: Buffer;
}

export interface MultipartForm {
    readonly fields: ReadonlyMap<string, readonly string[]>;
    readonly files: ReadonlyMap<string, readonly UploadedFile[]>;
}

export class MultipartError extends Error {}

const BOUNDARY_RE = /^[ -~]{0,200}[!-~]$/; // Django's _parse_boundary_stream / parse_boundary_stream check

/** The boundary of a Content-Type header; a MultipartError like Django's when it is missing or invalid. */
export function boundaryOf(contentType: string): string {
    const params = contentType.split(";").slice(1);
    let boundary: string | undefined;
    for (const param of params) {
        const eq = param.indexOf("=");
        if (eq < 0) continue;
        if (param.slice(0, eq).trim().toLowerCase() !== "boundary") continue;
        boundary = param.slice(eq + 1).trim().replace(/^"(.*)"$/, "$1");
    }
    if (boundary === undefined || !BOUNDARY_RE.test(boundary)) {
        throw new MultipartError(`Invalid boundary in multipart: ${boundary === undefined ? "None" : boundary}`);
    }
    return boundary;
}

interface PartHeaders {
    name?: string;
    filename?: string;
    contentType: string;
}

function parseHeaders(block: string): PartHeaders {
    const out: PartHeaders = { contentType: "" };
    for (const line of block.split("\r\n")) {
        const colon = line.indexOf(":");
        if (colon < 0) continue;
        const key = line.slice(0, colon).trim().toLowerCase();
        const value = line.slice(colon + 1).trim();
        if (key === "content-type") out.contentType = value.split(";")[0]?.trim() ?? "";
        if (key !== "content-disposition") continue;
        for (const m of value.matchAll(/;\s*([^=;\s]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g)) {
            const param = (m[1] ?? "").toLowerCase();
            // django.utils.http.parse_header_parameters: only \\ and \" are unescaped
            const raw = m[2] !== undefined ? m[2].replaceAll("\\\\", "\\").replaceAll('\\"', '"') : (m[3] ?? "").trim();
            if (param === "name") out.name = raw;
            else if (param === "filename") out.filename = raw;
            else if (param === "filename*") {
                // RFC 5987: charset'lang'percent-encoded
                const star = /^[^']*'[^']*'(.*)$/.exec(raw);
                try {
                    out.filename = decodeURIComponent(star?.[1] ?? raw);
                } catch {
                    out.filename = raw;
                }
            }
        }
    }
    return out;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** Django's MultiPartParser.sanitize_file_name; undefined when nothing usable is left. */
export function sanitizeFileName(fileName: string): string | undefined {
    let name = fileName.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
        if (entity.startsWith("#x") || entity.startsWith("#X")) return String.fromCodePoint(parseInt(entity.slice(2), 16));
        if (entity.startsWith("#")) return String.fromCodePoint(parseInt(entity.slice(1), 10));
        return ENTITIES[entity.toLowerCase()] ?? whole;
    });
    name = name.split("/").pop() ?? "";
    name = name.split("\\").pop() ?? "";
    // str.isprintable(): no control or separator characters other than the ASCII space
    name = [...name].filter((c) => c === " " || !/[\p{C}\p{Z}]/u.test(c)).join("");
    return name === "" || name === "." || name === ".." ? undefined : name;
}

/** Parses a multipart/form-data body. */
export function parseMultipart(body: Buffer, contentType: string): MultipartForm {
    const boundary = boundaryOf(contentType);
    const fields = new Map<string, string[]>();
    const files = new Map<string, UploadedFile[]>();
    const delimiter = Buffer.from(`--${boundary}`);
    let pos = body.indexOf(delimiter);
    while (pos >= 0) {
        let start = pos + delimiter.length;
        if (body.subarray(start, start + 2).toString() === "--") break; // closing delimiter
        if (body.subarray(start, start + 2).toString() === "\r\n") start += 2;
        const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), start);
        const end = next < 0 ? body.length : next;
        const part = body.subarray(start, end);
        const headerEnd = part.indexOf("\r\n\r\n");
        if (headerEnd >= 0) {
            const headers = parseHeaders(part.subarray(0, headerEnd).toString("utf8"));
            const content = part.subarray(headerEnd + 4);
            if (headers.name !== undefined) {
                if (headers.filename !== undefined) {
                    const name = sanitizeFileName(headers.filename);
                    if (name !== undefined) {
                        const list = files.get(headers.name) ?? [];
                        list.push({ name, contentType: headers.contentType, data: Buffer.from(content) });
                        files.set(headers.name, list);
                    }
                } else {
                    const list = fields.get(headers.name) ?? [];
                    list.push(content.toString("utf8"));
                    fields.set(headers.name, list);
                }
            }
        }
        if (next < 0) break;
        pos = next + 2;
    }
    return { fields, files };
}

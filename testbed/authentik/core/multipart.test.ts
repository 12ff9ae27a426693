import { describe, expect, it } from "vitest";
import { boundaryOf, MultipartError, parseMultipart, sanitizeFileName } from "./multipart";

const body = (parts: string[], boundary = "XyZ") => Buffer.from(`${parts.map((p) => `--${boundary}\r\n${p}\r\n`).join("")}--${boundary}--\r\n`);

describe("multipart/form-data (Django's MultiPartParser)", () => {
    it("splits text fields and files, keeping repeated keys in order", () => {
        const form = parseMultipart(
            body([
                'Content-Disposition: form-data; name="name"\r\n\r\nfirst',
                'Content-Disposition: form-data; name="name"\r\n\r\nsecond',
                'Content-Disposition: form-data; name="file"; filename="a.svg"\r\nContent-Type: image/svg+xml\r\n\r\n<svg/>\r\nline 2',
            ]),
            "multipart/form-data; boundary=XyZ",
        );
        expect(form.fields.get("name")).toEqual(["first", "second"]);
        const [file] = form.files.get("file") ?? [];
        expect(file?.name).toBe("a.svg");
        expect(file?.contentType).toBe("image/svg+xml");
        expect(file?.data.toString()).toBe("<svg/>\r\nline 2");
    });

    it("drops file parts without a usable name, and reads quoted and RFC 5987 names", () => {
        const form = parseMultipart(
            body([
                'Content-Disposition: form-data; name="a"; filename=""\r\n\r\nx',
                'Content-Disposition: form-data; name="b"; filename=".."\r\n\r\nx',
                'Content-Disposition: form-data; name="c"; filename="say \\"hi\\".txt"\r\n\r\nx',
                "Content-Disposition: form-data; name=\"d\"; filename*=UTF-8''gr%C3%BC%C3%9F.txt\r\n\r\nx",
            ]),
            'multipart/form-data; boundary="XyZ"',
        );
        expect([...form.files.keys()]).toEqual(["c", "d"]);
        expect(form.files.get("c")?.[0]?.name).toBe('say "hi".txt');
        expect(form.files.get("d")?.[0]?.name).toBe("grüß.txt");
    });

    it("sanitizes file names like sanitize_file_name", () => {
        expect(sanitizeFileName("../../etc/passwd")).toBe("passwd");
        expect(sanitizeFileName("C:\\dir\\logo.png")).toBe("logo.png");
        expect(sanitizeFileName("a&amp;b&#47;c.png")).toBe("c.png");
        expect(sanitizeFileName("tab\there.png")).toBe("tabhere.png");
        expect(sanitizeFileName("dir/")).toBeUndefined();
    });

    it("needs a valid boundary", () => {
        expect(() => boundaryOf("multipart/form-data")).toThrow(new MultipartError("Invalid boundary in multipart: None"));
        expect(() => boundaryOf("multipart/form-data; boundary=")).toThrow("Invalid boundary in multipart: ");
        expect(() => boundaryOf(`multipart/form-data; boundary=${"x".repeat(202)}`)).toThrow(MultipartError);
        expect(boundaryOf("multipart/form-data; charset=utf-8; boundary=abc")).toBe("abc");
    });
});

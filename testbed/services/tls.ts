/**
 * A throwaway certificate authority and a server certificate for 127.0.0.1 and localhost, made with the `openssl`
 * CLI (Debian's `openssl` package), so the test bed can serve Authentik over https and PostgreSQL over TLS and
 * clients can verify both (verify-full) by trusting `caFile` (NODE_EXTRA_CA_CERTS, PGSSLROOTCERT).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestCertificates {
    readonly dir: string;
    readonly caFile: string;
    readonly certFile: string;
    readonly keyFile: string;
    readonly cert: string;
    readonly key: string;
}

/** Makes the CA and a leaf certificate in a fresh folder (the caller removes `dir`). */
export function makeTestCertificates(dir = mkdtempSync(join(tmpdir(), "gatehouse-tls-"))): TestCertificates {
    const path = (name: string) => join(dir, name);
    const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Gatehouse test bed CA", "-keyout", path("ca.key"), "-out", path("ca.crt"));
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", path("server.key"), "-out", path("server.csr"));
    writeFileSync(path("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
    openssl("x509", "-req", "-in", path("server.csr"), "-CA", path("ca.crt"), "-CAkey", path("ca.key"), "-CAcreateserial", "-days", "2", "-extfile", path("server.ext"), "-out", path("server.crt"));
    return {
        dir,
        caFile: path("ca.crt"),
        certFile: path("server.crt"),
        keyFile: path("server.key"),
        cert: readFileSync(path("server.crt"), "utf8"),
        key: readFileSync(path("server.key"), "utf8"),
    };
}

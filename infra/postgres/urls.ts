import * as pulumi from "@pulumi/pulumi";

export interface ConnectionParts {
    readonly host: string;
    readonly port: number;
    readonly database: string;
    readonly user: string;
    readonly sslMode: string;
}

/** `postgresql://user:password@host:port/db?sslmode=…`, with user and password percent-encoded. */
export function connectionUrl(parts: ConnectionParts, password: string): string {
    const host = parts.host.includes(":") ? `[${parts.host}]` : parts.host;
    const auth = `${encodeURIComponent(parts.user)}:${encodeURIComponent(password)}`;
    return `postgresql://${auth}@${host}:${parts.port}/${encodeURIComponent(parts.database)}?sslmode=${parts.sslMode}`;
}

/** The same URL as a Pulumi secret. */
export function secretConnectionUrl(parts: pulumi.Input<ConnectionParts>, password: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.secret(pulumi.all([parts, password]).apply(([p, pw]) => connectionUrl(p, pw)));
}

import { inject } from "vitest";
import type { PostgresServer } from "../../testbed/services/postgres";

import { POSTGRES_KEY, TLS_KEY } from "./keys";

/** The run's throwaway PostgreSQL cluster, started by global-setup. */
export function injectedPostgres(): PostgresServer {
    // vitest's ProvidedContext cannot be augmented under this tsconfig; the key and shape are fixed here instead.
    return inject(POSTGRES_KEY as never) as PostgresServer;
}

/** The run's test certificate for 127.0.0.1 (for `startEmulator({ tls })`); its CA is trusted by every worker. */
export function injectedTls(): { readonly caFile: string; readonly cert: string; readonly key: string } {
    return inject(TLS_KEY as never) as { caFile: string; cert: string; key: string };
}

import { inject } from "vitest";
import type { PostgresServer } from "../../testbed/services/postgres";

import { POSTGRES_KEY } from "./keys";

/** The run's throwaway PostgreSQL cluster, started by global-setup. */
export function injectedPostgres(): PostgresServer {
    // vitest's ProvidedContext cannot be augmented under this tsconfig; the key and shape are fixed here instead.
    return inject(POSTGRES_KEY as never) as PostgresServer;
}

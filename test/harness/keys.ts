/** Names under which global-setup provides the run's services to test files. */
export const POSTGRES_KEY = "gatehouse.postgres";
/** The test bed's throwaway certificate (127.0.0.1, localhost) and its CA: `{ caFile, cert, key }`. */
export const TLS_KEY = "gatehouse.tls";

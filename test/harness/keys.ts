/** Names under which global-setup provides the run's services to test files. */
export const POSTGRES_KEY = "gatehouse.postgres";

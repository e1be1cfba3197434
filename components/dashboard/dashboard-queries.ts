/**
 * The inputs of the dashboard's queries, shared by the server page (prefetch) and the live client component, so
 * both use the same query keys and the client starts from the server's data instead of fetching again.
 */
export const LIVE_REFRESH_MS = 2_000;
export const RECENT_BLOCKS_INPUT = { filter: "canonical", limit: 10 } as const;
export const SERIES_INPUT = { count: 60 } as const;
export const RECENT_VIOLATIONS_INPUT = { limit: 10 } as const;
export const RECENT_REORGS_INPUT = { limit: 5 } as const;

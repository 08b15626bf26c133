/**
 * Memory of each Lambda, in MB: the pipeline stack builds the functions with these, and the
 * benchmark's cost model prices their GB-seconds with the same figures.
 */
export const FUNCTION_MEMORY_MB = { dispatch: 256, ingest: 1024, notify: 256, story: 512, websub: 256 } as const;

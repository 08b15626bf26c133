/**
 * A load (usually a dynamic import) run on the first call and shared by every later one. A load
 * that fails is not kept: the next call tries again, rather than failing for the rest of the
 * container's life. The Lambdas use it for what only some invocations need, so a cold start does
 * not pay for it.
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
}

/** A value fetched on demand, kept for at most maxAgeMs, fetched once however many callers wait for it. */
export interface CachedValue<T> {
  get(): Promise<T>;
  /** Forget `value` if it is still the cached one, so the next get() fetches at once. */
  invalidate(value: T): void;
}

/**
 * Single flight: a cold start under load makes one fetch, not one per caller. A failed fetch is not cached.
 * Age counts from the start of the fetch: the value can be no older than that. No I/O until the first get().
 */
export function cachedValue<T>(
  fetch: () => Promise<T>,
  options: { maxAgeMs: number; now: () => number },
): CachedValue<T> {
  let cached: { value: T; fetchedAt: number } | undefined;
  let inFlight: Promise<T> | undefined;

  const isFresh = (fetchedAt: number): boolean => {
    const age = options.now() - fetchedAt;
    return age >= 0 && age < options.maxAgeMs;
  };

  return {
    get(): Promise<T> {
      if (cached && isFresh(cached.fetchedAt)) return Promise.resolve(cached.value);
      inFlight ??= (async () => {
        const startedAt = options.now();
        const value = await fetch();
        cached = { value, fetchedAt: startedAt };
        return value;
      })().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    invalidate(value: T): void {
      // A caller holding an old value must not throw away a newer one fetched meanwhile.
      if (cached?.value === value) cached = undefined;
    },
  };
}

/**
 * A value built the first time it is needed, then kept. yup schemas are built this way: yup clones a
 * schema at each chained call, so building every schema at load cost each cold start milliseconds for
 * schemas most requests of a function never use (issue 21).
 */
export function once<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => (built ??= { value: build() }).value;
}

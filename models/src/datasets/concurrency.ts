/** Runs `task` over `items` with at most `limit` in flight, keeping results in input order. */
export async function mapWithLimit<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  async function worker(): Promise<void> {
    // After the first failure the other workers stop taking items: the caller only sees that first error.
    while (next < items.length && !failed) {
      const index = next++;
      try {
        results[index] = await task(items[index]!, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  }
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, () => worker());
  await Promise.all(workers);
  return results;
}

/** Decoding is done by sharp on libuv's thread pool: a few more tasks than its 4 threads keeps it busy. */
export const DECODE_CONCURRENCY = 8;

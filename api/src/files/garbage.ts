import type { PrismaClient } from '@prisma/client';

import type { FileStore } from './store';

/**
 * Removes stored files that no row references any more. Content addressing lets datasets share files, so a
 * file goes only when the last image, mask or result naming it is gone. Best effort: a file left behind
 * wastes space, a file removed while referenced would lose data, so any doubt keeps the file.
 */
export async function collectGarbage(prisma: PrismaClient, store: FileStore, keys: readonly string[]): Promise<number> {
  const unique = [...new Set(keys)];
  let removed = 0;
  for (let start = 0; start < unique.length; start += 1000) {
    const batch = unique.slice(start, start + 1000);
    const [images, masks, results] = await Promise.all([
      prisma.image.findMany({ where: { contentHash: { in: batch } }, select: { contentHash: true } }),
      prisma.mask.findMany({ where: { contentHash: { in: batch } }, select: { contentHash: true } }),
      // A result's maps are entries of its mapKeys list (files/result-maps.ts), its reconstruction a column.
      prisma.$queryRaw<{ key: string }[]>`
        SELECT map->>'key' AS key FROM "Result", jsonb_array_elements("mapKeys") AS map
        WHERE map->>'key' = ANY(${batch}::text[])
        UNION SELECT "reconstructionKey" FROM "Result" WHERE "reconstructionKey" = ANY(${batch}::text[])`,
    ]);
    const used = new Set<string>([
      ...images.map((row) => row.contentHash),
      ...masks.map((row) => row.contentHash),
      ...results.map((row) => row.key),
    ]);
    for (const key of batch) {
      if (used.has(key)) continue;
      await store.remove(key);
      removed++;
    }
  }
  return removed;
}

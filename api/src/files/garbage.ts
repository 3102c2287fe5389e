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
      prisma.result.findMany({
        where: {
          OR: [
            { attentionMapKey: { in: batch } },
            { residualMapKey: { in: batch } },
            { reconstructionKey: { in: batch } },
          ],
        },
        select: { attentionMapKey: true, residualMapKey: true, reconstructionKey: true },
      }),
    ]);
    const used = new Set<string | null>([
      ...images.map((row) => row.contentHash),
      ...masks.map((row) => row.contentHash),
      ...results.flatMap((row) => [row.attentionMapKey, row.residualMapKey, row.reconstructionKey]),
    ]);
    for (const key of batch) {
      if (used.has(key)) continue;
      await store.remove(key);
      removed++;
    }
  }
  return removed;
}

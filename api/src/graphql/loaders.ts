import type { Dataset, Evaluation, Image, Mask, MaskReview, PrismaClient, Run, User } from '@prisma/client';
import DataLoader from 'dataloader';

import type { Reads, ResultRow, RunScoring } from '../db/reads';
import { NotFoundError } from './errors';
import { isUuid } from './ids';

/** The object with this id, or null when there is none (or the id is not even a UUID). */
export async function loadOrNull<T>(loader: DataLoader<string, T>, id: string): Promise<T | null> {
  if (!isUuid(id)) return null;
  try {
    return await loader.load(id);
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
}

/** Orders rows like the keys they were fetched for; a missing row becomes an error for its key alone. */
export function byKey<Row, Key>(
  keys: readonly Key[],
  rows: Row[],
  keyOf: (row: Row) => Key,
  what: string,
): (Row | Error)[] {
  const found = new Map<Key, Row>();
  for (const row of rows) found.set(keyOf(row), row);
  return keys.map((key) => found.get(key) ?? new NotFoundError(what, String(key)));
}

/** Rows grouped by the key each belongs to, in the order of the keys (a key without rows gets an empty list). */
export function groupedByKey<Row, Key>(keys: readonly Key[], rows: Row[], keyOf: (row: Row) => Key): Row[][] {
  const groups = new Map<Key, Row[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key)!);
}

/**
 * One set per request: every object a request needs is fetched once, and all the objects of one kind asked for
 * in the same tick are fetched with one query (`WHERE id IN (...)`), so a page costs a constant number of queries.
 */
export class Loaders {
  readonly #prisma: PrismaClient;
  readonly #reads: Reads;
  readonly #made = new Map<string, DataLoader<unknown, unknown>>();

  constructor(prisma: PrismaClient, reads: Reads) {
    this.#prisma = prisma;
    this.#reads = reads;
  }

  protected lazy<K, V>(name: string, batch: (keys: readonly K[]) => Promise<(V | Error)[]>): DataLoader<K, V> {
    let loader = this.#made.get(name) as DataLoader<K, V> | undefined;
    if (!loader) {
      loader = new DataLoader<K, V>(batch, { maxBatchSize: 1000 });
      this.#made.set(name, loader as DataLoader<unknown, unknown>);
    }
    return loader;
  }

  get user(): DataLoader<string, User> {
    return this.lazy('user', async (ids) => byKey(ids, await this.#reads.users(ids), (row) => row.id, 'User'));
  }

  get dataset(): DataLoader<string, Dataset> {
    return this.lazy('dataset', async (ids) => byKey(ids, await this.#reads.datasets(ids), (row) => row.id, 'Dataset'));
  }

  get image(): DataLoader<string, Image> {
    return this.lazy('image', async (ids) => byKey(ids, await this.#reads.images(ids), (row) => row.id, 'Image'));
  }

  get mask(): DataLoader<string, Mask> {
    return this.lazy('mask', async (ids) => byKey(ids, await this.#reads.masks(ids), (row) => row.id, 'Mask'));
  }

  /** The id of the user each image is assigned to, or null (one query for a page of images). */
  get assigneeOfImage(): DataLoader<string, string | null> {
    return this.lazy('assigneeOfImage', async (imageIds) => {
      const rows = await this.#prisma.imageAssignment.findMany({
        where: { imageId: { in: [...imageIds] } },
        select: { imageId: true, userId: true },
      });
      const byImage = new Map(rows.map((row) => [row.imageId, row.userId]));
      return imageIds.map((imageId) => byImage.get(imageId) ?? null);
    });
  }

  /** The `first` latest versions of each image's mask, newest first: one index walk per image. */
  latestMasksOfImage(first: number): DataLoader<string, Mask[]> {
    return this.lazy(`latestMasksOfImage:${first}`, async (imageIds) => {
      const rows = await this.#prisma.$queryRaw<Mask[]>`
        SELECT m.* FROM unnest(${[...imageIds]}::uuid[]) AS wanted(id)
        CROSS JOIN LATERAL (
          SELECT * FROM "Mask" WHERE "imageId" = wanted.id ORDER BY version DESC LIMIT ${first}
        ) AS m`;
      return groupedByKey(imageIds, rows, (row) => row.imageId);
    });
  }

  /** The latest APPROVED version of each image's mask: its ground truth. */
  get approvedMaskOfImage(): DataLoader<string, Mask | null> {
    return this.lazy('approvedMaskOfImage', async (imageIds) => {
      const rows = await this.#prisma.mask.findMany({
        where: { imageId: { in: [...imageIds] }, status: 'APPROVED' },
        orderBy: { version: 'desc' },
      });
      const latest = new Map<string, Mask>();
      for (const row of rows) if (!latest.has(row.imageId)) latest.set(row.imageId, row);
      return imageIds.map((id) => latest.get(id) ?? null);
    });
  }

  get reviewsOfMask(): DataLoader<string, MaskReview[]> {
    return this.lazy('reviewsOfMask', async (maskIds) => {
      const rows = await this.#prisma.maskReview.findMany({
        where: { maskId: { in: [...maskIds] } },
        orderBy: { createdAt: 'asc' },
      });
      return groupedByKey(maskIds, rows, (row) => row.maskId);
    });
  }

  /** The run each prediction scores with: one query for a page of predicted images, not one per image and field. */
  get prediction(): DataLoader<string, { id: string; runId: string }> {
    return this.lazy('prediction', async (ids) => {
      const rows = await this.#prisma.prediction.findMany({
        where: { id: { in: [...ids] } },
        select: { id: true, runId: true },
      });
      return byKey(ids, rows, (row) => row.id, 'Prediction');
    });
  }

  get run(): DataLoader<string, Run> {
    return this.lazy('run', async (ids) => byKey(ids, await this.#reads.runs(ids), (row) => row.id, 'Run'));
  }

  get result(): DataLoader<string, ResultRow> {
    return this.lazy('result', async (ids) => byKey(ids, await this.#reads.results(ids), (row) => row.id, 'Result'));
  }

  /** Each run's scoring (db/reads.ts): what its decision threshold and normalised scores are made of. */
  get scoringOfRun(): DataLoader<string, RunScoring> {
    return this.lazy('scoringOfRun', async (runIds) =>
      byKey(runIds, await this.#reads.scoringOfRuns(runIds), (row) => row.runId, 'Run'),
    );
  }

  /** Each run's evaluations, newest first. */
  get evaluationsOfRun(): DataLoader<string, Evaluation[]> {
    return this.lazy('evaluationsOfRun', async (runIds) => {
      const rows = await this.#reads.evaluationsOfRuns(runIds);
      return groupedByKey(runIds, rows, (row) => row.runId);
    });
  }

  /** The mask versions each evaluation scored against. */
  get masksOfEvaluation(): DataLoader<string, Mask[]> {
    return this.lazy('masksOfEvaluation', async (ids) => {
      const rows = await this.#prisma.evaluation.findMany({
        where: { id: { in: [...ids] } },
        select: { id: true, masks: { orderBy: { imageId: 'asc' } } },
      });
      return ids.map((id) => rows.find((row) => row.id === id)?.masks ?? []);
    });
  }
}

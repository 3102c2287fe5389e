import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { MetricSet } from '../pipeline/evaluate';
import { readJsonFile, writeJsonFile } from '../pipeline/json-file';
import type { Grid } from './grid';
import { sweepTable } from './table';

export type HalfName = 'selection' | 'report';
export const HALVES: readonly HalfName[] = ['selection', 'report'];

export interface HalfResult extends MetricSet {
  perDefect: Record<string, MetricSet>;
}

export interface ConfigurationResult {
  id: string;
  training: string;
  map: string;
  layer: string | null;
  sign: string | null;
  normalize: boolean;
  sigma: number;
  trainSeconds: number;
  epochsCompleted: number;
  /** Training stopped at the time budget before its epochs were done. */
  budgetReached: boolean;
  halves: Record<HalfName, HalfResult>;
}

export interface SweepFile {
  data: string;
  /** Every grid run into this folder, in order (several grids may share one folder and its trainings). */
  grids: Grid[];
  /** Test image ids of each half, so a resumed sweep can check it measures the same split. */
  split: Record<HalfName, string[]>;
  heldBack: string[];
  results: ConfigurationResult[];
}

export const SORT_METRICS = ['imageAuroc', 'pixelAuroc', 'aupro'] as const;
export type SortMetric = (typeof SORT_METRICS)[number];

export function sweepPaths(out: string): { json: string; markdown: string; trainings: string } {
  return { json: join(out, 'sweep.json'), markdown: join(out, 'sweep.md'), trainings: join(out, 'trainings') };
}

/**
 * The sweep file this run continues: `fresh` (no results yet) when the folder holds none, else the folder's,
 * with this grid added. Results are only kept when they were measured the same way, so refuses a folder whose
 * sweep used other data, another split, other held-back images or another evaluation resolution.
 */
export async function continueSweepFile(out: string, fresh: SweepFile): Promise<SweepFile> {
  const path = sweepPaths(out).json;
  if (!existsSync(path)) return fresh;
  const previous = await readJsonFile<SweepFile>(path, 'sweep');
  const grid = fresh.grids.at(-1)!;
  const last = previous.grids.at(-1)!;
  if (previous.data !== fresh.data || JSON.stringify(previous.split) !== JSON.stringify(fresh.split))
    throw new Error(`${path}: a sweep of other data or another split; choose another --out`);
  if (JSON.stringify(previous.heldBack) !== JSON.stringify(fresh.heldBack))
    throw new Error(`${path}: a sweep with other held-back images (holdBack); choose another --out`);
  if (last.evaluateAt !== grid.evaluateAt)
    throw new Error(`${path}: a sweep evaluated at the ${last.evaluateAt} resolution`);
  const known = previous.grids.some((earlier) => JSON.stringify(earlier) === JSON.stringify(grid));
  return { ...fresh, grids: known ? previous.grids : [...previous.grids, grid], results: previous.results };
}

/** Writes sweep.json and its tables (sweep.md); called after every configuration, so a stopped sweep loses none. */
export async function saveSweepFile(out: string, sweep: SweepFile, sort: SortMetric): Promise<void> {
  const paths = sweepPaths(out);
  await writeJsonFile(paths.json, sweep);
  await writeFile(paths.markdown, sweepTable(sweep, sort));
}

import { rm } from 'node:fs/promises';
import path from 'node:path';

import type { PrismaClient } from '@prisma/client';

import { exportFile } from './exports';
import { collectGarbage } from './garbage';
import type { FileStore } from './store';

/** What rows just deleted (a run, or a dataset with its runs) named on disk. */
export interface DeletedFiles {
  /** Stored files the rows named; each goes once nothing else names it. */
  keys: readonly string[];
  /** Runs whose output folders (checkpoint, report, logs) go. */
  runIds: readonly string[];
  /** Exports whose zips go at once, rather than at the next export's sweep. */
  exportIds: readonly string[];
}

export async function removeDeletedFiles(prisma: PrismaClient, store: FileStore, deleted: DeletedFiles): Promise<void> {
  await collectGarbage(prisma, store, deleted.keys);
  for (const id of deleted.runIds) await rm(path.join(store.runsDir, id), { recursive: true, force: true });
  for (const id of deleted.exportIds) await rm(exportFile(store, id), { force: true });
}

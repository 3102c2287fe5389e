import path from 'node:path';

import type { FileStore } from './store';

/** Where finished exports live: one zip per Export row, named by its id (never content-addressed: one download each). */
export function exportsDir(store: FileStore): string {
  return path.join(store.root, 'exports');
}

export function exportFile(store: FileStore, exportId: string): string {
  return path.join(exportsDir(store), `${exportId}.zip`);
}

// Copying folder trees that other processes may change meanwhile (a running database, a file store in use): a
// file that vanishes between listing and copying is skipped rather than failing the copy, since what it held is
// either not needed (a temporary file) or recorded elsewhere (WAL, another copy pass).
import { constants } from 'node:fs';
import { copyFile, lstat, mkdir, readdir, readlink, symlink } from 'node:fs/promises';
import path from 'node:path';

export interface CopyStats {
  files: number;
  bytes: number;
}

/** What a first pass copied (relative path to size and modification time), for a second pass to compare with. */
export type CopiedFiles = Map<string, { size: number; mtimeMs: number }>;

export interface CopyTreeOptions {
  /** Relative paths (with '/' separators) to leave out, with everything under them for folders. */
  skip?: (relative: string, isDirectory: boolean) => boolean;
  /** Copy only files that are not in this map or have changed since (and record what is copied in it). */
  copied?: CopiedFiles;
}

function vanished(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/** Copies `source` into `target` (created), keeping symbolic links as links; returns what it copied. */
export async function copyTree(source: string, target: string, options: CopyTreeOptions = {}): Promise<CopyStats> {
  const stats: CopyStats = { files: 0, bytes: 0 };
  await mkdir(target, { recursive: true });
  await copyFolder(source, target, '', options, stats);
  return stats;
}

async function copyFolder(
  sourceRoot: string,
  targetRoot: string,
  relative: string,
  options: CopyTreeOptions,
  stats: CopyStats,
): Promise<void> {
  let entries;
  try {
    entries = await readdir(path.join(sourceRoot, relative), { withFileTypes: true });
  } catch (error) {
    if (vanished(error)) return;
    throw error;
  }
  for (const entry of entries) {
    const rel = relative === '' ? entry.name : `${relative}/${entry.name}`;
    const from = path.join(sourceRoot, rel);
    const to = path.join(targetRoot, rel);
    if (options.skip?.(rel, entry.isDirectory())) continue;
    try {
      if (entry.isDirectory()) {
        await mkdir(to, { recursive: true });
        await copyFolder(sourceRoot, targetRoot, rel, options, stats);
      } else if (entry.isSymbolicLink()) {
        if (options.copied?.has(rel)) continue;
        await symlink(await readlink(from), to);
        options.copied?.set(rel, { size: 0, mtimeMs: 0 });
      } else if (entry.isFile()) {
        const info = await lstat(from);
        const before = options.copied?.get(rel);
        if (before && before.size === info.size && before.mtimeMs === info.mtimeMs) continue;
        // A clone where the file system can (copy-on-write), a plain copy elsewhere.
        await copyFile(from, to, constants.COPYFILE_FICLONE);
        options.copied?.set(rel, { size: info.size, mtimeMs: info.mtimeMs });
        stats.files += 1;
        stats.bytes += info.size;
      }
      // Sockets and other special files are not data.
    } catch (error) {
      if (!vanished(error)) throw error;
    }
  }
}

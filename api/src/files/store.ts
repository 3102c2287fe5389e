import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

const HASH = /^[0-9a-f]{64}$/;

/**
 * Content-addressed files under the data folder: objects/<first 2 hex>/<sha256>. Identical bytes are stored
 * once, a file never changes once written (so it can be cached forever), and a key names its bytes exactly.
 * Workers on other machines see the same files when VAD_DATA_DIR is a shared folder.
 */
export class FileStore {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  /** Derived images (thumbnails, coloured maps): safe to delete at any time. */
  get cacheDir(): string {
    return path.join(this.root, 'cache');
  }

  /** Zips sent to POST /uploads, until importDataset consumes them. */
  get uploadsDir(): string {
    return path.join(this.root, 'uploads');
  }

  /** Per-run working folders: the dataset as the pipeline reads it, checkpoints, explain output. */
  get runsDir(): string {
    return path.join(this.root, 'runs');
  }

  pathOf(hash: string): string {
    if (!HASH.test(hash)) throw new Error(`not a file-store key: ${hash}`);
    return path.join(this.root, 'objects', hash.slice(0, 2), hash);
  }

  static hashOf(bytes: Uint8Array): string {
    return createHash('sha256').update(bytes).digest('hex');
  }

  /**
   * Stores bytes and returns their key; storing the same bytes again writes nothing. Files that rows will name
   * are written through a FileLease (leases.ts), which keeps garbage collection off them until the rows commit.
   */
  async put(bytes: Uint8Array): Promise<string> {
    const hash = FileStore.hashOf(bytes);
    const target = this.pathOf(hash);
    if (existsSync(target)) return hash;
    await mkdir(path.dirname(target), { recursive: true });
    // Written aside then renamed: a reader never sees half a file, and concurrent writers agree.
    const temporary = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(temporary, bytes);
    await rename(temporary, target);
    return hash;
  }

  read(hash: string): Promise<Buffer> {
    return readFile(this.pathOf(hash));
  }

  has(hash: string): boolean {
    return existsSync(this.pathOf(hash));
  }

  async remove(hash: string): Promise<void> {
    await rm(this.pathOf(hash), { force: true });
  }
}

/** Writes a derived file atomically (temporary name, then rename). */
export async function writeAtomically(target: string, bytes: Uint8Array): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  const temporary = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, bytes);
  await rename(temporary, target);
}

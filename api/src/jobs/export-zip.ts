import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import yazl from 'yazl';

import { exportsDir } from '../files/exports';
import type { FileStore } from '../files/store';

/**
 * A zip written to disk one entry at a time with yazl: each entry's bytes are made only when the zip reaches it,
 * so an export of thousands of maps holds one of them in memory at a time, and `onEntry` tells how far it got.
 * The zip is written beside its final name and renamed there by `finish`, so a download never sees half a zip.
 */
export class ZipBuilder {
  readonly #zip = new yazl.ZipFile();
  readonly #temporary: string;
  readonly #written: Promise<void>;
  readonly #failed: Promise<never>;
  #fail!: (error: unknown) => void;
  #entries = 0;
  #started = 0;

  constructor(
    private readonly target: string,
    private readonly options: {
      mtime: Date;
      signal: AbortSignal;
      /** Called as each entry starts being made, with how many have started and how many there are. */
      onEntry?: (started: number, total: number) => void;
    },
  ) {
    const temporary = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    this.#temporary = temporary;
    this.#failed = new Promise<never>((_, reject) => (this.#fail = reject));
    this.#failed.catch(() => {});
    this.#zip.on('error', (error: unknown) => this.#fail(error));
    this.#written = (async () => {
      await mkdir(path.dirname(target), { recursive: true });
      await pipeline(this.#zip.outputStream, createWriteStream(temporary));
    })();
    this.#written.catch((error: unknown) => this.#fail(error));
  }

  get entryCount(): number {
    return this.#entries;
  }

  /** Adds an entry whose bytes `make` produces when its turn comes (PNGs are stored, everything else deflated). */
  add(name: string, make: () => Promise<Buffer> | Buffer, compress = true): void {
    this.#entries++;
    this.#zip.addReadStreamLazy(name, { mtime: this.options.mtime, compress }, (callback) => {
      this.options.onEntry?.(++this.#started, this.#entries);
      Promise.resolve()
        .then(() => {
          this.options.signal.throwIfAborted();
          return make();
        })
        .then(
          (bytes) => callback(null, Readable.from([bytes])),
          (error: unknown) => callback(error, undefined as never),
        );
    });
  }

  /** Writes the central directory, waits for the last byte and puts the zip in place; answers its size. */
  async finish(): Promise<number> {
    this.#zip.end();
    const aborted = new Promise<never>((_, reject) => {
      const { signal } = this.options;
      if (signal.aborted) reject(signal.reason as Error);
      signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
    });
    aborted.catch(() => {});
    try {
      await Promise.race([this.#written, this.#failed, aborted]);
      await rename(this.#temporary, this.target);
      return (await stat(this.target)).size;
    } catch (error) {
      await this.discard();
      throw error;
    }
  }

  /** Stops writing and removes what was written (after a failure). */
  async discard(): Promise<void> {
    // Ends the write too (its pipeline closes the file), so that nothing is left open.
    (this.#zip.outputStream as Readable).destroy();
    await this.#written.catch(() => {});
    await rm(this.#temporary, { force: true });
  }
}

/** Half-written zips older than this belong to a worker that died (a live one writes continuously). */
const ABANDONED_MS = 60 * 60_000;

/**
 * Removes zips whose Export row is gone (its run or dataset was deleted) and temporary files that crashed workers
 * left. Several workers may sweep at once: every removal is of something no live export writes or serves.
 */
export async function sweepExports(store: FileStore, liveIds: (ids: string[]) => Promise<Set<string>>): Promise<void> {
  let names: string[];
  try {
    names = await readdir(exportsDir(store));
  } catch {
    return;
  }
  const zips = names.filter((name) => /^[0-9a-f-]{36}\.zip$/.test(name));
  const live = await liveIds(zips.map((name) => name.slice(0, 36)));
  for (const name of names) {
    const file = path.join(exportsDir(store), name);
    if (zips.includes(name)) {
      if (!live.has(name.slice(0, 36))) await rm(file, { force: true });
    } else if (name.endsWith('.tmp')) {
      const info = await stat(file).catch(() => null);
      if (info && Date.now() - info.mtimeMs > ABANDONED_MS) await rm(file, { force: true });
    }
  }
}

import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';

import yauzl, { type Entry, type ZipFile } from 'yauzl';

/** A zip that cannot be imported; the message says which entry and why. */
export class ZipError extends Error {
  override name = 'ZipError';
}

export interface ZipLimits {
  maxEntries: number;
  /** Sum of the entries' uncompressed sizes, declared and actual. */
  maxUnzippedBytes: number;
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/**
 * The path an entry would be written to, or an error when it would land outside `target`: absolute paths,
 * drive letters, `..` segments and backslash tricks (zip slip) are refused before anything is written.
 */
export function safeEntryPath(target: string, name: string): string {
  if (name.includes('\0')) throw new ZipError(`zip entry ${JSON.stringify(name)} has a NUL byte in its name`);
  const normalised = name.replace(/\\/g, '/');
  if (normalised.startsWith('/') || /^[a-zA-Z]:/.test(normalised)) {
    throw new ZipError(`zip entry ${JSON.stringify(name)} has an absolute path: refused (path traversal)`);
  }
  if (normalised.split('/').includes('..')) {
    throw new ZipError(
      `zip entry ${JSON.stringify(name)} climbs out of the archive with "..": refused (path traversal)`,
    );
  }
  const resolved = path.resolve(target, normalised);
  if (resolved !== target && !resolved.startsWith(target + path.sep)) {
    throw new ZipError(
      `zip entry ${JSON.stringify(name)} would be written outside the folder: refused (path traversal)`,
    );
  }
  return resolved;
}

function open(file: string): Promise<ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(
      file,
      { lazyEntries: true, autoClose: true, decodeStrings: true, validateEntrySizes: true, strictFileNames: false },
      (error, zip) => (error ? reject(new ZipError(`not a readable zip file (${error.message})`)) : resolve(zip)),
    ),
  );
}

/**
 * Extracts a zip into `target` (which must not exist yet), checking every entry before writing it: its path
 * stays inside `target`, it is a file or a folder (no links), and the entry count and total size stay under
 * the limits, counting the bytes actually inflated, not only what the archive declares.
 */
export async function extractZip(file: string, target: string, limits: ZipLimits): Promise<void> {
  const root = path.resolve(target);
  await mkdir(root, { recursive: false });
  const zip = await open(file);
  if (zip.entryCount > limits.maxEntries) {
    zip.close();
    throw new ZipError(`the zip holds ${zip.entryCount} entries; the limit is ${limits.maxEntries}`);
  }
  let written = 0;
  await new Promise<void>((resolve, reject) => {
    const fail = (error: unknown) => {
      zip.close();
      const message = (error as Error).message;
      // yauzl itself refuses absolute and climbing names while reading the directory.
      if (/^(absolute path|invalid relative path)/.test(message)) {
        reject(new ZipError(`zip entry refused (path traversal): ${message}`));
      } else {
        reject(error instanceof ZipError ? error : new ZipError(`the zip cannot be read (${message})`));
      }
    };
    zip.on('error', fail);
    zip.on('end', () => resolve());
    zip.on('entry', (entry: Entry) => {
      void (async () => {
        const destination = safeEntryPath(root, entry.fileName);
        const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
        if (mode === S_IFLNK)
          throw new ZipError(`zip entry ${JSON.stringify(entry.fileName)} is a symbolic link: refused`);
        if (entry.fileName.endsWith('/')) {
          await mkdir(destination, { recursive: true });
          zip.readEntry();
          return;
        }
        if (written + entry.uncompressedSize > limits.maxUnzippedBytes) {
          throw new ZipError(`the zip unpacks to more than ${limits.maxUnzippedBytes} bytes (VAD_MAX_UNZIPPED_BYTES)`);
        }
        await mkdir(path.dirname(destination), { recursive: true });
        const stream = await new Promise<NodeJS.ReadableStream>((done, failed) =>
          zip.openReadStream(entry, (error, readable) => (error ? failed(error) : done(readable))),
        );
        const counter = new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            written += chunk.length;
            if (written > limits.maxUnzippedBytes) {
              callback(
                new ZipError(`the zip unpacks to more than ${limits.maxUnzippedBytes} bytes (VAD_MAX_UNZIPPED_BYTES)`),
              );
            } else callback(null, chunk);
          },
        });
        await pipeline(stream, counter, createWriteStream(destination, { flags: 'wx' }));
        zip.readEntry();
      })().catch(fail);
    });
    zip.readEntry();
  });
}

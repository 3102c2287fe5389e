// Unsaved masks kept in the browser's IndexedDB, one per image, so that a reload, a crash or a closed tab loses
// no strokes: the editor writes the mask shortly after each change and removes it once saved or discarded.
// The history is not kept: a restored draft is one undoable step over the saved version.

/** Unsaved work on one image as IndexedDB keeps it. */
export interface StoredDraft {
  imageId: string;
  /** The mask version the work started from (what saving needs as baseVersion). */
  baseVersion: number;
  width: number;
  height: number;
  /** One byte per pixel, 1 = defective. */
  pixels: Uint8Array;
  /** When it was written (ms since the epoch). */
  savedAt: number;
}

const DATABASE = 'vad-mask-editor';
const STORE = 'drafts';

function settle<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('the browser refused to read its stored drafts'));
  });
}

function done(transaction: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    const fail = () => reject(transaction.error ?? new Error('the browser refused to keep the draft'));
    transaction.onerror = fail;
    transaction.onabort = fail;
  });
}

function isDraft(value: unknown): value is StoredDraft {
  if (!value || typeof value !== 'object') return false;
  const draft = value as Partial<StoredDraft>;
  return (
    typeof draft.imageId === 'string' &&
    Number.isInteger(draft.baseVersion) &&
    Number.isInteger(draft.width) &&
    Number.isInteger(draft.height) &&
    draft.pixels instanceof Uint8Array &&
    draft.pixels.length === draft.width! * draft.height! &&
    typeof draft.savedAt === 'number'
  );
}

export class DraftStore {
  #database: Promise<IDBDatabase> | null = null;

  /** `factory`: the browser's indexedDB (undefined where there is none, e.g. some private windows). */
  constructor(private readonly factory: IDBFactory | undefined) {}

  /** Whether drafts can be kept at all. */
  get available(): boolean {
    return this.factory !== undefined;
  }

  #open(): Promise<IDBDatabase> {
    if (!this.factory) return Promise.reject(new Error('this browser keeps no drafts (no IndexedDB)'));
    if (!this.#database) {
      const request = this.factory.open(DATABASE, 1);
      request.onupgradeneeded = () => {
        if (!request.result.objectStoreNames.contains(STORE)) {
          request.result.createObjectStore(STORE, { keyPath: 'imageId' });
        }
      };
      this.#database = settle(request);
      // A failed open is not kept: the next call tries again.
      this.#database.catch(() => (this.#database = null));
    }
    return this.#database;
  }

  /** Keeps `draft` in place of the image's earlier one. */
  async put(draft: StoredDraft): Promise<void> {
    // Checked here too: the pixels come from a raster whose size is the image's, but a mix-up must not be kept.
    const checked: unknown = draft;
    if (!isDraft(checked)) throw new RangeError(`a draft of image ${draft.imageId} needs one byte per pixel`);
    const transaction = (await this.#open()).transaction(STORE, 'readwrite');
    transaction.objectStore(STORE).put(draft);
    await done(transaction);
  }

  /**
   * The image's kept draft, or null. A draft of another size than the image (the image was replaced) cannot be
   * drawn on it: null as well, and it stays kept.
   */
  async get(imageId: string, width: number, height: number): Promise<StoredDraft | null> {
    const database = await this.#open();
    const value: unknown = await settle(database.transaction(STORE, 'readonly').objectStore(STORE).get(imageId));
    if (!isDraft(value) || value.width !== width || value.height !== height) return null;
    return value;
  }

  async delete(imageId: string): Promise<void> {
    const transaction = (await this.#open()).transaction(STORE, 'readwrite');
    transaction.objectStore(STORE).delete(imageId);
    await done(transaction);
  }
}

/** What the editor says of a kept draft: whether someone saved since its version, and in words. */
export function describeDraft(
  draft: Pick<StoredDraft, 'baseVersion'>,
  latestVersion: number,
): { stale: boolean; text: string } {
  const base = draft.baseVersion === 0 ? 'drawn on no saved mask' : `based on version ${draft.baseVersion}`;
  if (draft.baseVersion >= latestVersion) return { stale: false, text: `Unsaved changes ${base}, the latest.` };
  return {
    stale: true,
    text:
      `Unsaved changes ${base}, older than the latest (version ${latestVersion}): ` +
      'saving them will ask how to combine the two.',
  };
}

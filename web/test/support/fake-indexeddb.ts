// Just enough of IndexedDB for DraftStore in Node: databases of key-path object stores, whose requests and
// transactions complete on later ticks as the browser's do, values copied in and out as structured clones.

type Handler = ((event: { target: unknown }) => void) | null;

class FakeRequest<T> {
  result!: T;
  error: Error | null = null;
  onsuccess: Handler = null;
  onerror: Handler = null;
  onupgradeneeded: Handler = null;

  succeed(result: T): void {
    this.result = result;
    this.onsuccess?.({ target: this });
  }

  fail(error: Error): void {
    this.error = error;
    this.onerror?.({ target: this });
  }
}

type Stores = Map<string, { keyPath: string; rows: Map<unknown, unknown> }>;

class FakeTransaction {
  oncomplete: Handler = null;
  onerror: Handler = null;
  onabort: Handler = null;
  error: Error | null = null;
  private pending = 0;

  constructor(
    private readonly stores: Stores,
    private readonly failWrites: boolean,
  ) {
    // Complete once the requests made in this tick have run, as a browser transaction does.
    setTimeout(() => this.finish(), 0);
  }

  private finish(): void {
    if (this.pending > 0) {
      setTimeout(() => this.finish(), 0);
      return;
    }
    if (this.error) this.onabort?.({ target: this });
    else this.oncomplete?.({ target: this });
  }

  objectStore(name: string) {
    const store = this.stores.get(name);
    if (!store) throw new Error(`no object store ${name}`);
    const request = <T>(work: () => T) => {
      const answer = new FakeRequest<T>();
      this.pending += 1;
      setTimeout(() => {
        this.pending -= 1;
        try {
          answer.succeed(work());
        } catch (error) {
          this.error = error as Error;
          answer.fail(error as Error);
        }
      }, 0);
      return answer;
    };
    const write = () => {
      if (this.failWrites) throw new Error('QuotaExceededError');
    };
    return {
      put: (value: Record<string, unknown>) =>
        request(() => {
          write();
          store.rows.set(value[store.keyPath], structuredClone(value));
          return value[store.keyPath];
        }),
      get: (key: unknown) => request(() => structuredClone(store.rows.get(key))),
      delete: (key: unknown) =>
        request(() => {
          write();
          store.rows.delete(key);
          return undefined;
        }),
    };
  }
}

export class FakeIndexedDb {
  readonly databases = new Map<string, Stores>();
  /** Makes writes fail as a full disk would. */
  failWrites = false;
  opened = 0;

  open(name: string, _version?: number) {
    const request = new FakeRequest<unknown>();
    this.opened += 1;
    setTimeout(() => {
      const created = !this.databases.has(name);
      const stores: Stores = this.databases.get(name) ?? new Map();
      this.databases.set(name, stores);
      const database = {
        objectStoreNames: { contains: (store: string) => stores.has(store) },
        createObjectStore: (store: string, options: { keyPath: string }) =>
          stores.set(store, { keyPath: options.keyPath, rows: new Map() }),
        transaction: (_names: string | string[], _mode?: string) => new FakeTransaction(stores, this.failWrites),
      };
      request.result = database;
      if (created) request.onupgradeneeded?.({ target: request });
      request.onsuccess?.({ target: request });
    }, 0);
    return request;
  }

  /** As the DOM type, for code that takes an IDBFactory. */
  get factory(): IDBFactory {
    return this as unknown as IDBFactory;
  }
}

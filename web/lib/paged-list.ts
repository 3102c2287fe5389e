// A list loaded page by page as far as a view needs: the external store behind virtualised grids (React reads
// it with useSyncExternalStore). Pages load one at a time, in order, since cursors only go forwards.

export interface Page<T> {
  items: T[];
  totalCount: number;
  endCursor: string | null;
  hasNextPage: boolean;
}

export interface PagedListState<T> {
  items: readonly T[];
  totalCount: number;
  loading: boolean;
  error: string | null;
  /** Every page is loaded. */
  complete: boolean;
}

export class PagedList<T> {
  private state: PagedListState<T>;
  private cursor: string | null;
  private wanted = 0;
  private listeners = new Set<() => void>();

  constructor(
    private readonly fetchPage: (after: string | null) => Promise<Page<T>>,
    first: Page<T>,
    private readonly describe: (error: unknown) => string,
  ) {
    this.cursor = first.endCursor;
    this.state = {
      items: first.items,
      totalCount: first.totalCount,
      loading: false,
      error: null,
      complete: !first.hasNextPage,
    };
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): PagedListState<T> => this.state;

  /** Loads pages until at least `count` items are there (or the list ends); stops after an error until retry(). */
  ensure(count: number): void {
    this.wanted = Math.max(this.wanted, count);
    void this.pump();
  }

  retry(): void {
    this.update({ error: null });
    void this.pump();
  }

  private update(patch: Partial<PagedListState<T>>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }

  private async pump(): Promise<void> {
    while (!this.state.loading && !this.state.error && !this.state.complete && this.state.items.length < this.wanted) {
      this.update({ loading: true });
      try {
        const page = await this.fetchPage(this.cursor);
        this.cursor = page.endCursor;
        this.update({
          items: [...this.state.items, ...page.items],
          totalCount: page.totalCount,
          loading: false,
          complete: !page.hasNextPage || page.endCursor === null,
        });
      } catch (error) {
        this.update({ loading: false, error: this.describe(error) });
      }
    }
  }
}

/** The fields a worker sets when it claims a queued job row (run or evaluation) for another attempt. */
export function claimFields(attempt: number, workerId: string) {
  return { status: 'RUNNING' as const, attempt: attempt + 1, workerId, heartbeatAt: new Date() };
}

/** What one heartbeat found in the job's row. */
export interface Beat {
  /** False when the row no longer names this worker: another one took the job over (this one was presumed dead). */
  held: boolean;
  /** Someone asked for the job to stop. */
  cancelRequested?: boolean;
}

/**
 * A job row this worker holds, proved alive by a heartbeat every `intervalMs`. When a beat finds the row taken
 * over or a cancel asked for, `signal` aborts, so the work stops; `lost` tells the two apart afterwards.
 */
export class JobLease {
  readonly #abort = new AbortController();
  readonly #timer: NodeJS.Timeout;
  #lost = false;

  constructor(beat: () => Promise<Beat>, intervalMs: number, log: (line: string) => void) {
    this.#timer = setInterval(() => {
      void beat()
        .then((found) => this.record(found))
        .catch((error: unknown) => log(`heartbeat failed (${(error as Error).message})`));
    }, intervalMs);
  }

  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /** Another worker holds the job now: this one must not write its results. */
  get lost(): boolean {
    return this.#lost;
  }

  /** A write that found the row no longer this worker's counts as a lost lease too. */
  record(found: Beat): void {
    if (!found.held) this.#lost = true;
    if (!found.held || found.cancelRequested === true) this.#abort.abort();
  }

  /** Aborts the work without losing the lease (a shutdown, a cancel through the control channel). */
  abort(): void {
    this.#abort.abort();
  }

  release(): void {
    clearInterval(this.#timer);
  }
}

import type { Prisma } from '@prisma/client';
import type { PipelineEvent } from '@vad/models';

import { withoutServerPaths } from '../graphql/server-paths';

/** One finished epoch, as runs store and show it. */
export interface EpochLoss {
  epoch: number;
  loss: number;
  /** On the held-back normal images, when there are some. */
  validationLoss?: number;
}

/** What a progress write sets on the Run row. */
export interface ProgressFields {
  progress: number;
  phase: string;
  epoch: number;
  totalEpochs: number;
  lossHistory: EpochLoss[];
  /** The first epoch this attempt trains (0 until training starts). */
  startEpoch: number;
}

// Shares of the whole run: training dominates; explaining and evaluating the test set follow.
const SPAN = {
  load: [0, 0.02],
  train: [0.02, 0.85],
  explain: [0.85, 0.95],
  evaluate: [0.95, 0.99],
  report: [0.99, 1],
} as const;

/**
 * Turns pipeline events into the Run's progress fields: overall progress, the phase in words, the epoch, and
 * the loss history (the mean step loss of each finished epoch, kept across attempts of the run).
 */
export class ProgressTracker {
  #fields: ProgressFields;
  #stepLosses: number[] = [];
  /** When this attempt's first training step was reported: with the engine's ETA, the share of a budgeted run. */
  #trainStarted: number | null = null;
  /** The training share reached so far: an ETA that grows again must not move the bar back. */
  #trainShare = 0;

  constructor(previous: { lossHistory: Prisma.JsonValue; totalEpochs: number }) {
    const history = Array.isArray(previous.lossHistory) ? (previous.lossHistory as unknown as EpochLoss[]) : [];
    this.#fields = {
      progress: 0,
      phase: 'loading the dataset',
      epoch: history.at(-1)?.epoch ?? 0,
      totalEpochs: previous.totalEpochs,
      lossHistory: history,
      startEpoch: 0,
    };
  }

  get fields(): ProgressFields {
    return this.#fields;
  }

  /** Applies an event; true when it is a milestone worth writing at once (a stage or an epoch ended). */
  apply(event: PipelineEvent): boolean {
    const set = (stage: keyof typeof SPAN, share: number, phase: string) => {
      const [from, to] = SPAN[stage];
      this.#fields = { ...this.#fields, progress: from + (to - from) * Math.min(1, Math.max(0, share)), phase };
    };
    switch (event.type) {
      case 'stage':
        // Stage messages may name the pipeline's folders (the report's), which clients must not see.
        set(event.stage, 0, withoutServerPaths(event.message));
        return true;
      case 'warning':
        return false;
      case 'train': {
        const { epoch, epochs, step, stepsPerEpoch, loss, etaSeconds } = event.progress;
        if (this.#fields.startEpoch === 0) this.#fields.startEpoch = epoch;
        this.#stepLosses.push(loss);
        this.#trainStarted ??= Date.now();
        // A time budget or a plateau ends training long before its last epoch; the engine's ETA knows the budget.
        const elapsed = (Date.now() - this.#trainStarted) / 1000;
        const byTime = elapsed + etaSeconds > 0 ? elapsed / (elapsed + etaSeconds) : 0;
        const bySteps = ((epoch - 1) * stepsPerEpoch + step) / (epochs * stepsPerEpoch);
        this.#trainShare = Math.max(this.#trainShare, bySteps, byTime);
        set('train', this.#trainShare, `training: epoch ${epoch} of ${epochs}`);
        this.#fields.epoch = step === stepsPerEpoch ? epoch : epoch - 1;
        this.#fields.totalEpochs = epochs;
        if (step !== stepsPerEpoch) return false;
        const mean = this.#stepLosses.reduce((sum, value) => sum + value, 0) / this.#stepLosses.length;
        this.#stepLosses = [];
        // A resumed run repeats no epoch, but an epoch cut short by a lost worker is redone: keep the new one.
        const validation = event.progress.validationLoss;
        this.#fields.lossHistory = [
          ...this.#fields.lossHistory.filter((entry) => entry.epoch < epoch),
          { epoch, loss: mean, ...(validation === undefined ? {} : { validationLoss: validation }) },
        ];
        return true;
      }
      case 'explain':
        set('explain', event.done / event.total, `explaining test images: ${event.done} of ${event.total}`);
        return event.done === event.total;
      case 'evaluate':
        set('evaluate', event.done / event.total, `evaluating the ${event.mapType} map`);
        return false;
      case 'config':
        // The resolved config is known: the epoch count is final.
        this.#fields.totalEpochs = event.config.train.epochs;
        return true;
    }
  }
}

/** Calls `write` at most every `intervalMs`, at once for milestones, one write at a time, latest state last. */
export class Throttle {
  #last = 0;
  #pending: Promise<void> = Promise.resolve();
  #scheduled: NodeJS.Timeout | null = null;

  constructor(
    private readonly intervalMs: number,
    private readonly write: () => Promise<void>,
  ) {}

  request(urgent: boolean): void {
    const wait = this.#last + this.intervalMs - Date.now();
    if (urgent || wait <= 0) {
      this.flush();
      return;
    }
    this.#scheduled ??= setTimeout(() => this.flush(), wait);
  }

  flush(): Promise<void> {
    if (this.#scheduled) clearTimeout(this.#scheduled);
    this.#scheduled = null;
    this.#last = Date.now();
    this.#pending = this.#pending.then(this.write, this.write);
    return this.#pending;
  }

  /** Waits for the writes in flight, cancelling any scheduled one. */
  async settle(): Promise<void> {
    if (this.#scheduled) clearTimeout(this.#scheduled);
    this.#scheduled = null;
    await this.#pending.catch(() => {});
  }
}

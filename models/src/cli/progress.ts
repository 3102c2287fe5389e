import type { PipelineEvent } from '../pipeline/events';

/** Where progress goes: stderr, so stdout keeps only results. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole}s`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes}m${String(whole % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

function bar(fraction: number, width: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

/**
 * Draws pipeline events: on a terminal, one live line redrawn in place (a bar with epoch, loss, images/s and
 * ETA) with messages printed above it; elsewhere (logs, pipes) plain lines, one per epoch or explain batch.
 */
export class ProgressRenderer {
  readonly #stream: ProgressStream;
  readonly #live: boolean;
  #line = '';
  #lastDraw = 0;
  #epoch = 0;
  #lossSum = 0;
  #lossCount = 0;
  /** The last epoch's loss on the held-back normal images: whether the model still learns. */
  #validation: number | null = null;

  constructor(stream: ProgressStream) {
    this.#stream = stream;
    this.#live = stream.isTTY === true;
  }

  handle(event: PipelineEvent): void {
    switch (event.type) {
      case 'stage':
        this.#message(`${event.stage}: ${event.message}`);
        return;
      case 'warning':
        this.#message(`warning: ${event.message}`);
        return;
      case 'train': {
        const p = event.progress;
        if (p.epoch !== this.#epoch) {
          this.#epoch = p.epoch;
          this.#lossSum = 0;
          this.#lossCount = 0;
        }
        this.#lossSum += p.loss;
        this.#lossCount++;
        const loss = this.#lossSum / this.#lossCount;
        if (p.validationLoss !== undefined) this.#validation = p.validationLoss;
        const validation = this.#validation === null ? '' : `  val ${this.#validation.toPrecision(4)}`;
        const stats =
          `loss ${loss.toPrecision(4)}${validation}  ${p.imagesPerSecond.toFixed(1)} img/s  ` +
          `ETA ${formatDuration(p.etaSeconds)}`;
        const attention =
          (p.attentionLoss > 0 ? `  attention ${p.attentionLoss.toPrecision(3)}` : '') +
          (p.supervisionLoss > 0 ? `  supervision ${p.supervisionLoss.toPrecision(3)}` : '') +
          (p.segmentationLoss > 0 ? `  segmentation ${p.segmentationLoss.toPrecision(3)}` : '');
        if (this.#live) {
          const done = (p.epoch - 1) * p.stepsPerEpoch + p.step;
          const fraction = done / (p.epochs * p.stepsPerEpoch);
          const last = p.epoch === p.epochs && p.step === p.stepsPerEpoch;
          this.#draw(
            `train epoch ${p.epoch}/${p.epochs} ${bar(fraction, 24)} ${Math.floor(fraction * 100)}%  ${stats}${attention}`,
            last,
          );
        } else if (p.step === p.stepsPerEpoch) {
          this.#stream.write(`train epoch ${p.epoch}/${p.epochs}  ${stats}${attention}\n`);
        }
        return;
      }
      case 'explain': {
        const stats = `${event.imagesPerSecond.toFixed(1)} img/s  ETA ${formatDuration(event.etaSeconds)}`;
        if (this.#live) {
          const fraction = event.done / event.total;
          this.#draw(
            `explain ${event.done}/${event.total} ${bar(fraction, 24)} ${Math.floor(fraction * 100)}%  ${stats}`,
            event.done === event.total,
          );
        } else {
          this.#stream.write(`explain ${event.done}/${event.total} images  ${stats}\n`);
        }
        return;
      }
      case 'evaluate': {
        const text =
          event.done < event.total
            ? `evaluate ${event.mapType} (map ${event.done + 1} of ${event.total})`
            : `evaluate: ${event.total} maps done`;
        if (this.#live) this.#draw(text, true);
        else this.#stream.write(`${text}\n`);
        return;
      }
    }
  }

  /** Ends the live line, so what follows starts on a clean one. */
  finish(): void {
    if (this.#live && this.#line !== '') this.#stream.write('\n');
    this.#line = '';
  }

  #message(text: string): void {
    // The live line stays as the last word on what came before, and the message starts the next part.
    this.finish();
    this.#stream.write(`${text}\n`);
  }

  #draw(line: string, force = false): void {
    const now = Date.now();
    // Ten redraws a second are plenty; a fast tiny model would otherwise flood the terminal.
    if (!force && now - this.#lastDraw < 100) return;
    this.#lastDraw = now;
    // A pseudo-terminal without a size reports 0 columns.
    const columns = this.#stream.columns !== undefined && this.#stream.columns > 20 ? this.#stream.columns : 120;
    this.#line = line.length > columns - 1 ? line.slice(0, columns - 1) : line;
    this.#stream.write(`\r\x1b[2K${this.#line}`);
  }
}

import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** How often the delay monitor samples: each sample is one timer's lateness. */
const RESOLUTION_MS = 10;
/** Upper bounds (seconds) of the histogram's buckets, as GET /metrics lists them (le="..."). */
export const EVENT_LOOP_BUCKETS_S = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1, 2, 5, 10,
] as const;

/**
 * How late the API's event loop runs, measured inside the process with perf_hooks.monitorEventLoopDelay: a loop
 * held by one request (a large query, a synchronous decode) or starved of CPU (training on the same cores)
 * delays every other request by as much. Kept as a cumulative Prometheus histogram (GET /metrics), so that an
 * operator's scraper, or a load test taking two scrapes, gets the percentiles of any window from the difference
 * of its bucket counts. Node's histogram is folded into the buckets and reset every second: its own counts are
 * kept in HdrHistogram's percentile steps, exact enough per second, and a fixed set of buckets never grows.
 */
export class EventLoopMonitor {
  readonly #histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  /** Samples at or below each bound (cumulative, as Prometheus counts them), then +Inf. */
  readonly #counts = new Array<number>(EVENT_LOOP_BUCKETS_S.length + 1).fill(0);
  #sumS = 0;
  #maxS = 0;
  readonly #timer: NodeJS.Timeout;
  readonly #startedAt = Date.now();

  constructor() {
    this.#histogram.enable();
    this.#timer = setInterval(() => this.#fold(), 1_000).unref();
  }

  /** Moves the samples since the last fold into the buckets. A sample is a timer's lateness beyond its period. */
  #fold(): void {
    const histogram = this.#histogram;
    const count = histogram.count;
    if (count === 0) return;
    const delayS = (ns: number) => Math.max(0, ns / 1e9 - RESOLUTION_MS / 1000);
    // percentiles: ascending (percentile, value) steps; the share of samples at or below a bound is the highest
    // step whose value is within it.
    const steps = [...histogram.percentiles].map(([percentile, value]) => [percentile / 100, delayS(value)] as const);
    EVENT_LOOP_BUCKETS_S.forEach((bound, i) => {
      let share = 0;
      for (const [fraction, value] of steps) if (value <= bound) share = fraction;
      this.#counts[i]! += Math.round(share * count);
    });
    this.#counts[EVENT_LOOP_BUCKETS_S.length]! += count;
    this.#sumS += delayS(histogram.mean) * count;
    this.#maxS = Math.max(this.#maxS, delayS(histogram.max));
    histogram.reset();
  }

  /** The figures in Prometheus's text format (version 0.0.4). */
  prometheus(): string {
    this.#fold();
    const name = 'vad_api_event_loop_delay_seconds';
    const lines = [
      `# HELP ${name} How late the API's event loop ran (perf_hooks.monitorEventLoopDelay, ${RESOLUTION_MS} ms timer).`,
      `# TYPE ${name} histogram`,
      ...EVENT_LOOP_BUCKETS_S.map((bound, i) => `${name}_bucket{le="${bound}"} ${this.#counts[i]}`),
      `${name}_bucket{le="+Inf"} ${this.#counts[EVENT_LOOP_BUCKETS_S.length]}`,
      `${name}_sum ${this.#sumS.toFixed(6)}`,
      `${name}_count ${this.#counts[EVENT_LOOP_BUCKETS_S.length]}`,
      '# HELP vad_api_event_loop_delay_max_seconds The longest event-loop delay since the API started.',
      '# TYPE vad_api_event_loop_delay_max_seconds gauge',
      `vad_api_event_loop_delay_max_seconds ${this.#maxS.toFixed(6)}`,
      '# HELP vad_api_uptime_seconds Seconds since the API process started serving.',
      '# TYPE vad_api_uptime_seconds gauge',
      `vad_api_uptime_seconds ${((Date.now() - this.#startedAt) / 1000).toFixed(3)}`,
    ];
    return `${lines.join('\n')}\n`;
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#histogram.disable();
  }
}

/** A histogram's buckets as read from one scrape: upper bound (seconds, Infinity last) to cumulative count. */
export type HistogramBuckets = [bound: number, count: number][];

/** The buckets of one histogram in a Prometheus text scrape. */
export function parseHistogram(text: string, name: string): HistogramBuckets {
  const pattern = new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\S+)$`);
  return text.split('\n').flatMap((line) => {
    const match = pattern.exec(line);
    if (!match) return [];
    return [[match[1] === '+Inf' ? Infinity : Number(match[1]), Number(match[2])] as [number, number]];
  });
}

/**
 * A quantile of the samples between two scrapes, as Prometheus's histogram_quantile computes it: the bucket the
 * quantile falls in, interpolated linearly within it (the last finite bound when it falls in +Inf). Null when no
 * sample fell between them.
 */
export function quantileBetween(before: HistogramBuckets, after: HistogramBuckets, q: number): number | null {
  const counts = after.map(([bound, count], i) => [bound, Math.max(0, count - (before[i]?.[1] ?? 0))] as const);
  const total = counts.at(-1)?.[1] ?? 0;
  if (total === 0) return null;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const [bound, count] of counts) {
    if (count >= rank) {
      if (bound === Infinity) return lowerBound;
      return lowerBound + ((bound - lowerBound) * (rank - lowerCount)) / Math.max(1, count - lowerCount);
    }
    lowerBound = bound;
    lowerCount = count;
  }
  return lowerBound;
}

// Load on the platform as `npm start` runs it (issue 12): the supervisor with its API, worker and embedded
// PostgreSQL, on scratch folders and free ports, under NODE_ENV=production. Annotators open results pages and
// save masks at a fixed concurrency for a while with the worker idle, then as long again while the worker trains
// a run, and the two phases are reported side by side: latency percentiles of pages and saves, errors (a CONFLICT
// is an expected answer to a save based on a stale version; anything else is an error), and the API's own
// event-loop delay from its GET /metrics, read before and after each phase.
// Used by test/load/load.test.ts (a short run in the test suite) and scripts/soak.ts (`npm run soak`).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { freePort } from '@vad/api';
import { parseHistogram, quantileBetween, type HistogramBuckets } from '@vad/api/src/http/event-loop';

import { makeMvtecFolder, maskPng } from '../../api/test/support/fixtures';
import { waitFor } from '../../api/test/support/wait';

const ROOT = path.resolve(__dirname, '..', '..');
const EVENT_LOOP = 'vad_api_event_loop_delay_seconds';
/** Images of the load's dataset: 32 px, as the TINY preset trains on them. */
const IMAGE_SIZE = 32;

export interface LoadOptions {
  /** Seconds of load in each phase. */
  seconds: number;
  /** Annotators at once, each sending its next request when its last one is answered. */
  concurrency: number;
  /** The preset of the run the worker trains during the second phase. */
  preset: 'TINY' | 'SMALL' | 'BASE';
  /** Extra environment for the platform (VAD_TRAIN_THREADS, VAD_WORKER_NICE...). */
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

export interface Latency {
  count: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface PhaseFigures {
  phase: 'idle' | 'training';
  seconds: number;
  pages: Latency;
  saves: Latency;
  /** Saves answered CONFLICT (someone saved the image in between): expected, not errors. */
  conflicts: number;
  /** Anything else that was not a success: a few messages, and how many there were. */
  errors: { count: number; samples: string[] };
  /** The API's event-loop delay over the phase (from two scrapes of GET /metrics). */
  eventLoop: { p50Ms: number | null; p99Ms: number | null };
  /** Epochs the worker finished during the phase (training phase only). */
  epochs: number | null;
}

export interface LoadReport {
  options: Omit<LoadOptions, 'log' | 'env'>;
  cpus: number;
  /** How the worker shared the CPU, as it said at its start (VAD_WORKER_NICE, VAD_TRAIN_THREADS). */
  workerCpuShare: string;
  idle: PhaseFigures;
  training: PhaseFigures;
}

interface Platform {
  child: ChildProcess;
  output: string[];
  exit: Promise<number | null>;
  apiUrl: string;
  scratch: string;
}

/** Starts, seeds, loads (idle, then training) and stops the platform; everything it made goes at the end. */
export async function measureLoad(options: LoadOptions): Promise<LoadReport> {
  const log = options.log ?? (() => {});
  const platform = await startPlatform(options.env ?? {}, log);
  try {
    const api = new Client(platform.apiUrl);
    await api.signIn(ADMIN.email, ADMIN.password);
    const seeded = await seed(api, platform.scratch, log);
    log(`idle phase: ${options.seconds} s at concurrency ${options.concurrency}`);
    const idle = await phase(api, seeded, options, 'idle', null);

    log(`starting a ${options.preset} run to train through the second phase`);
    const { startRun } = await api.request<{ startRun: { id: string } }>(
      'mutation($d: ID!, $p: RunPreset!) { startRun(input: { datasetId: $d, preset: $p, epochs: 10000 }) { id } }',
      { d: seeded.datasetId, p: options.preset },
    );
    // Past loading the data and building the model: the worker is in its training loop.
    await waitFor(
      'the run to be training',
      async () => {
        const run = await runState(api, startRun.id);
        if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(run.status))
          throw new Error(`the training run ended early: ${run.status} ${run.error ?? ''}`);
        return run.status === 'RUNNING' && run.epoch >= 1 ? run : undefined;
      },
      180_000,
      250,
    );
    log(`training phase: ${options.seconds} s at concurrency ${options.concurrency}`);
    const training = await phase(api, seeded, options, 'training', startRun.id);
    const after = await runState(api, startRun.id);
    if (after.status !== 'RUNNING') throw new Error(`the run stopped training during the load: ${after.status}`);
    await api.request('mutation($id: ID!) { cancelRun(id: $id) { id } }', { id: startRun.id });
    return {
      options: { seconds: options.seconds, concurrency: options.concurrency, preset: options.preset },
      cpus: os.availableParallelism(),
      workerCpuShare:
        platform.output.findLast((line) => line.includes('[worker] CPU share: '))?.split('CPU share: ')[1] ??
        'not reported',
      idle,
      training,
    };
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- platform output ---\n${platform.output.slice(-80).join('\n')}`, {
      cause: error,
    });
  } finally {
    await stopPlatform(platform);
  }
}

/** The first admin of the production configuration (NODE_ENV=production refuses the demo account). */
const ADMIN = { email: 'load-admin@vad.local', password: 'load-test-admin-7f3k2q' };

async function startPlatform(extraEnv: NodeJS.ProcessEnv, log: (line: string) => void): Promise<Platform> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'vad-load-'));
  const apiPort = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    VAD_ADMIN_EMAIL: ADMIN.email,
    VAD_ADMIN_PASSWORD: ADMIN.password,
    VAD_SECURE_COOKIES: '0',
    VAD_DB_DIR: path.join(scratch, 'postgres'),
    VAD_DATA_DIR: path.join(scratch, 'files'),
    VAD_API_PORT: String(apiPort),
    VAD_IMPORT_ROOTS: path.join(scratch, 'imports'),
    VAD_WEB: '0',
    VAD_DEMO: '0',
    ...extraEnv,
  };
  // The platform's own embedded database, not the test run's.
  delete env.DATABASE_URL;
  delete env.VAD_DB_PORT;
  delete env.VAD_TEST;
  const output: string[] = [];
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const collect = (chunk: Buffer) => output.push(...chunk.toString().split('\n').filter(Boolean));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const platform = { child, output, exit, apiUrl: `http://127.0.0.1:${apiPort}`, scratch };
  log(`starting the platform (npm start's supervisor) on port ${apiPort}`);
  const outcome = await waitFor(
    'the platform to be ready',
    async () => {
      if (child.exitCode !== null) return 'exited';
      return output.some((line) => line.includes('Platform ready')) ? 'ready' : undefined;
    },
    180_000,
    200,
  ).catch((error: unknown) => error as Error);
  if (outcome !== 'ready') {
    await stopPlatform(platform);
    throw new Error(`npm start did not get ready (${String(outcome)}):\n${output.join('\n')}`);
  }
  return platform;
}

/** SIGTERM to the supervisor's process group, as a service manager stops it; then whatever is left, by its mark. */
async function stopPlatform(platform: Platform): Promise<void> {
  const { child, scratch } = platform;
  if (child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(-(child.pid ?? 0), 'SIGTERM');
    } catch {
      // gone
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-(child.pid ?? 0), 'SIGKILL');
      } catch {
        // gone
      }
    }, 120_000);
    await platform.exit;
    clearTimeout(timer);
  }
  // Every process of this platform carries its scratch folder in VAD_DB_DIR (PostgreSQL included).
  const mark = `VAD_DB_DIR=${path.join(scratch, 'postgres')}\0`;
  for (const name of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid)) {
    try {
      if (readFileSync(`/proc/${name}/environ`, 'utf8').includes(mark)) process.kill(Number(name), 'SIGKILL');
    } catch {
      // gone, or not ours to read
    }
  }
  rmSync(scratch, { recursive: true, force: true });
}

class GraphqlError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly extensions: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** GraphQL over HTTP with the admin's session cookie (all annotators share it: one sign-in, no throttling). */
class Client {
  #cookie = '';

  constructor(readonly apiUrl: string) {}

  async signIn(email: string, password: string): Promise<void> {
    await this.request('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { __typename } }', {
      e: email,
      p: password,
    });
    if (!this.#cookie) throw new Error('signing in set no session cookie');
  }

  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const response = await fetch(`${this.apiUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: this.#cookie },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    let body: { data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new GraphqlError(`HTTP ${response.status}: ${text.slice(0, 200)}`, `HTTP_${response.status}`, {});
    }
    const first = body.errors?.[0];
    if (first) throw new GraphqlError(first.message, first.extensions?.code as string, first.extensions ?? {});
    this.#cookie = response.headers.get('set-cookie')?.split(';')[0] ?? this.#cookie;
    return body.data as T;
  }

  async metrics(): Promise<HistogramBuckets> {
    const response = await fetch(`${this.apiUrl}/metrics`, { signal: AbortSignal.timeout(60_000) });
    if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
    return parseHistogram(await response.text(), EVENT_LOOP);
  }
}

interface RunState {
  status: string;
  epoch: number;
  error: string | null;
}

async function runState(api: Client, id: string): Promise<RunState> {
  return (await api.request<{ run: RunState }>('query($id: ID!) { run(id: $id) { status epoch error } }', { id })).run;
}

interface Seeded {
  datasetId: string;
  /** The succeeded run whose results pages the annotators open. */
  runId: string;
  /** Test images the annotators draw masks on: few, so that they meet on the same ones. */
  imageIds: string[];
  masks: string[];
}

/** A dataset (imported from a server folder) and a finished TINY run of it, whose results make the pages. */
async function seed(api: Client, scratch: string, log: (line: string) => void): Promise<Seeded> {
  const folder = await makeMvtecFolder(path.join(scratch, 'imports', 'load'), {
    size: IMAGE_SIZE,
    train: 96,
    testGood: 30,
    defects: { crack: 20, hole: 10 },
  });
  const { importDataset } = await api.request<{ importDataset: { id: string } }>(
    'mutation($p: String!) { importDataset(input: { path: $p, name: "load" }) { id } }',
    { p: folder },
  );
  log('training the run whose results the pages show');
  const { startRun } = await api.request<{ startRun: { id: string } }>(
    'mutation($d: ID!) { startRun(input: { datasetId: $d, preset: TINY }) { id } }',
    { d: importDataset.id },
  );
  const done = await waitFor(
    'the results run to finish',
    async () => {
      const run = await runState(api, startRun.id);
      return ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(run.status) ? run : undefined;
    },
    300_000,
    250,
  );
  if (done.status !== 'SUCCEEDED') throw new Error(`the results run ended ${done.status}: ${done.error}`);
  const { dataset } = await api.request<{ dataset: { images: { edges: { node: { id: string } }[] } } }>(
    'query($d: ID!) { dataset(id: $d) { images(first: 100, filter: { split: TEST }) { edges { node { id } } } } }',
    { d: importDataset.id },
  );
  const imageIds = dataset.images.edges.map((edge) => edge.node.id).slice(0, 20);
  if (imageIds.length < 20) throw new Error(`the load dataset has ${imageIds.length} test images, not 20`);
  const masks = await Promise.all(
    [0, 1, 2, 3].map(async (i) => (await maskPng(IMAGE_SIZE, { x: 8 + 4 * i, y: 12, r: 3 + i })).toString('base64')),
  );
  return { datasetId: importDataset.id, runId: startRun.id, imageIds, masks };
}

/** The web app's results grid (web/lib/graphql/documents: RunResults with its ResultCard fields). */
const RESULTS_PAGE = `query($runId: ID!, $first: Int!, $after: String, $orderBy: ResultOrder!) {
  run(id: $runId) {
    id name status resultCount
    dataset { id name defectTypes }
    results(first: $first, after: $after, orderBy: $orderBy) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id score normalizedScore verdict attentionOverlayUrl
        image { id name label defectType thumbnailUrl } } }
    }
  }
}`;

interface ResultsPage {
  run: { results: { pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
}

const SAVE_MASK = `mutation($imageId: ID!, $png: String!, $base: Int!) {
  saveMask(imageId: $imageId, pngBase64: $png, baseVersion: $base) { id version }
}`;

const ORDERS = ['SCORE_DESC', 'SCORE_ASC'];

/**
 * One phase: `concurrency` annotators, each alternating between a results page (the first, or the next one from
 * the cursor of its last page) and a mask save on one of a few images, based on the version it last saw of it.
 * A CONFLICT tells it the current version, which it takes up as the app does after reloading.
 */
async function phase(
  api: Client,
  seeded: Seeded,
  options: LoadOptions,
  name: PhaseFigures['phase'],
  trainingRunId: string | null,
): Promise<PhaseFigures> {
  const pages: number[] = [];
  const saves: number[] = [];
  let conflicts = 0;
  const errors = { count: 0, samples: [] as string[] };
  const failed = (what: string, error: unknown) => {
    errors.count++;
    if (errors.samples.length < 5) errors.samples.push(`${what}: ${(error as Error).message}`);
  };
  const epochsBefore = trainingRunId ? (await runState(api, trainingRunId)).epoch : 0;
  const loopBefore = await api.metrics();
  const started = performance.now();
  const deadline = started + options.seconds * 1000;

  const annotator = async (n: number) => {
    const seen = new Map<string, number>();
    let cursor: string | null = null;
    for (let i = n; performance.now() < deadline; i++) {
      const t0 = performance.now();
      if (i % 2 === 0) {
        try {
          const page: ResultsPage = await api.request<ResultsPage>(RESULTS_PAGE, {
            runId: seeded.runId,
            first: 24,
            after: cursor,
            orderBy: ORDERS[n % 2],
          });
          pages.push(performance.now() - t0);
          cursor = page.run.results.pageInfo.hasNextPage ? page.run.results.pageInfo.endCursor : null;
        } catch (error) {
          failed('results page', error);
        }
      } else {
        const imageId = seeded.imageIds[(i * 7 + n) % seeded.imageIds.length]!;
        try {
          const { saveMask } = await api.request<{ saveMask: { version: number } }>(SAVE_MASK, {
            imageId,
            png: seeded.masks[i % seeded.masks.length],
            base: seen.get(imageId) ?? 0,
          });
          saves.push(performance.now() - t0);
          seen.set(imageId, saveMask.version);
        } catch (error) {
          if (error instanceof GraphqlError && error.code === 'CONFLICT') {
            saves.push(performance.now() - t0);
            conflicts++;
            seen.set(imageId, Number(error.extensions.currentVersion));
          } else {
            failed('mask save', error);
          }
        }
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, n) => annotator(n)));
  const seconds = (performance.now() - started) / 1000;
  const loopAfter = await api.metrics();
  const toMs = (s: number | null) => (s === null ? null : Math.round(s * 10_000) / 10);
  return {
    phase: name,
    seconds: Math.round(seconds * 10) / 10,
    pages: latency(pages),
    saves: latency(saves),
    conflicts,
    errors,
    eventLoop: {
      p50Ms: toMs(quantileBetween(loopBefore, loopAfter, 0.5)),
      p99Ms: toMs(quantileBetween(loopBefore, loopAfter, 0.99)),
    },
    epochs: trainingRunId ? (await runState(api, trainingRunId)).epoch - epochsBefore : null,
  };
}

function latency(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted.length === 0 ? 0 : Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
  return { count: sorted.length, p50Ms: at(0.5), p95Ms: at(0.95), p99Ms: at(0.99), maxMs: Math.round(at(1)) };
}

/** The two phases side by side, as the README quotes them. */
export function formatReport(report: LoadReport): string {
  const { idle, training } = report;
  const ms = (value: number | null) => (value === null ? 'n/a' : `${value} ms`);
  const rows: [string, (p: PhaseFigures) => string][] = [
    ['results pages (count)', (p) => String(p.pages.count)],
    ['pages p50 / p99', (p) => `${ms(p.pages.p50Ms)} / ${ms(p.pages.p99Ms)}`],
    ['mask saves (count)', (p) => String(p.saves.count)],
    ['saves p50 / p99', (p) => `${ms(p.saves.p50Ms)} / ${ms(p.saves.p99Ms)}`],
    ['CONFLICT answers (expected)', (p) => String(p.conflicts)],
    ['errors', (p) => String(p.errors.count)],
    ['API event loop p50 / p99', (p) => `${ms(p.eventLoop.p50Ms)} / ${ms(p.eventLoop.p99Ms)}`],
    ['epochs trained', (p) => (p.epochs === null ? '-' : String(p.epochs))],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = [
    `${report.options.seconds} s per phase at concurrency ${report.options.concurrency}, ${report.options.preset} ` +
      `run training in the second, ${report.cpus} CPUs; worker: ${report.workerCpuShare}`,
    `${''.padEnd(width)}  ${'no training'.padEnd(22)}  training`,
    ...rows.map(([label, value]) => `${label.padEnd(width)}  ${value(idle).padEnd(22)}  ${value(training)}`),
  ];
  for (const p of [idle, training]) for (const sample of p.errors.samples) lines.push(`error (${p.phase}): ${sample}`);
  return lines.join('\n');
}

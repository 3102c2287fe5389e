// The platform on one machine, as children of the supervisor of `npm start`: the API, a worker pulling jobs from
// the same Postgres-backed queue, and the web app when it has been built; plus the demo dataset, imported once.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { EnvironmentError, isPortFree, loadConfig, portFromEnv } from '@vad/api';

import { loadCorruptedFashionMnist, writeMvtecFolder } from '../../models/src';
import type { Supervisor } from './supervisor';

export const DEMO_DATASET_NAME = 'Demo - Fashion-MNIST sneakers';

export interface Platform {
  apiUrl: string;
  webUrl: string | null;
  admin: { email: string; password: string; demo: boolean };
}

/** Where a platform keeps its state: the embedded cluster, the file store, and the supervisor's record. */
export interface PlatformPaths {
  /** The embedded PostgreSQL cluster (VAD_DB_DIR, default .data/postgres). */
  databaseDir: string;
  /** The file store (VAD_DATA_DIR, default .data/files). */
  filesDir: string;
  /** The running supervisor and its children, beside the cluster folder. */
  stateFile: string;
}

export function platformPaths(root: string, env: NodeJS.ProcessEnv = process.env): PlatformPaths {
  const databaseDir = path.resolve(env.VAD_DB_DIR || path.join(root, '.data', 'postgres'));
  return {
    databaseDir,
    filesDir: loadConfig(env).dataDir,
    stateFile: path.join(path.dirname(databaseDir), 'supervisor.json'),
  };
}

/** The ports the platform will listen on, checked free: call it before starting anything slow. */
export async function platformPorts(root: string): Promise<{ apiPort: number; webPort: number; webBuilt: boolean }> {
  const apiPort = portFromEnv('VAD_API_PORT') ?? 4000;
  const webPort = portFromEnv('VAD_WEB_PORT') ?? 3000;
  // VAD_WEB=0 runs the API and the worker only.
  const webBuilt = process.env.VAD_WEB !== '0' && existsSync(path.join(root, 'web', '.next', 'BUILD_ID'));
  const ports: [string, number][] = [['VAD_API_PORT', apiPort]];
  if (webBuilt) ports.push(['VAD_WEB_PORT', webPort]);
  for (const [name, port] of ports) {
    if (!(await isPortFree(port)))
      throw new EnvironmentError(`port ${port} (${name}) is in use: free it or set ${name}`);
  }
  return { apiPort, webPort, webBuilt };
}

const API_READY_TIMEOUT_MS = 180_000;

/** Starts the API, a worker and the web app under `supervisor`, waits for the API, then sees to the demo set. */
export async function startPlatform(
  root: string,
  databaseUrl: string,
  supervisor: Supervisor,
  log: (line: string) => void,
): Promise<Platform> {
  const { apiPort, webPort, webBuilt } = await platformPorts(root);
  const config = { ...loadConfig(), port: apiPort };
  const apiUrl = `http://localhost:${apiPort}`;
  const env = { ...process.env, DATABASE_URL: databaseUrl, VAD_API_URL: apiUrl, VAD_API_PORT: String(apiPort) };
  const tsx = ['--import', 'tsx'];
  supervisor.add({
    name: 'api',
    nodeArgs: [...tsx, path.join(root, 'scripts', 'lib', 'api-service.ts')],
    cwd: root,
    env,
    stopGraceMs: 15_000,
  });
  // A worker stops within a training step, checkpoints and queues its run again: give it the time to.
  // Beside the API, training leaves it a core (VAD_TRAIN_THREADS; the worker also lowers its priority,
  // VAD_WORKER_NICE): on 2 cores a training on both starved the API (README, "Security and operations").
  const trainThreads = process.env.VAD_TRAIN_THREADS || String(Math.max(1, os.availableParallelism() - 1));
  supervisor.add({
    name: 'worker',
    nodeArgs: [...tsx, 'api/src/worker.ts'],
    cwd: root,
    env: { ...env, VAD_TRAIN_THREADS: trainThreads },
    stopGraceMs: 90_000,
  });
  if (webBuilt) {
    const next = require.resolve('next/dist/bin/next', { paths: [path.join(root, 'web')] });
    supervisor.add({
      name: 'web',
      nodeArgs: [next, 'start', '--port', String(webPort)],
      cwd: path.join(root, 'web'),
      env: { ...env, NEXT_TELEMETRY_DISABLED: '1' },
      stopGraceMs: 10_000,
    });
  }
  await waitForApi(apiUrl);
  // VAD_DEMO=0 leaves the demo dataset out.
  if (process.env.VAD_DEMO !== '0') await ensureDemoDataset(config.importRoots[0]!, apiUrl, config.admin, log);
  return {
    apiUrl,
    webUrl: webBuilt ? `http://localhost:${webPort}` : null,
    admin: { email: config.admin.email, password: config.admin.password, demo: !config.admin.fromEnvironment },
  };
}

/** Waits until the API answers /health (the supervisor restarts it meanwhile if it dies). */
async function waitForApi(apiUrl: string): Promise<void> {
  const deadline = Date.now() + API_READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${apiUrl}/health`, { signal: AbortSignal.timeout(5_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new EnvironmentError(`the API did not answer ${apiUrl}/health within 3 minutes (its output is above)`);
}

/**
 * Signs in as the admin through GraphQL, like any external tool, and imports the demo set unless it is there. It
 * is written in the first folder server-folder imports may read (VAD_IMPORT_ROOTS, by default .data/files/imports).
 */
async function ensureDemoDataset(
  importRoot: string,
  apiUrl: string,
  admin: { email: string; password: string },
  log: (line: string) => void,
): Promise<void> {
  const login = await graphql(
    apiUrl,
    null,
    'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { __typename } }',
    {
      e: admin.email,
      p: admin.password,
    },
  );
  const cookie = login.cookie;
  const existing = await graphql(apiUrl, cookie, '{ datasets(first: 100) { edges { node { name } } } }', {});
  const names = (existing.data as { datasets: { edges: { node: { name: string } }[] } }).datasets.edges.map(
    (edge) => edge.node.name,
  );
  if (names.includes(DEMO_DATASET_NAME)) return;

  const folder = path.join(importRoot, 'demo-dataset', 'sneaker');
  if (!existsSync(path.join(folder, 'train'))) {
    log(`Writing the demo dataset (corrupted Fashion-MNIST sneakers) to ${path.dirname(folder)}`);
    const dataset = await loadCorruptedFashionMnist({
      normalClass: 7,
      trainCount: 1000,
      testNormalCount: 100,
      testAnomalousCount: 100,
    });
    await writeMvtecFolder(dataset, folder);
  }
  log(`Importing the demo dataset "${DEMO_DATASET_NAME}"`);
  await graphql(apiUrl, cookie, 'mutation($input: ImportDatasetInput!) { importDataset(input: $input) { id } }', {
    input: { path: folder, name: DEMO_DATASET_NAME },
  });
}

async function graphql(
  apiUrl: string,
  cookie: string | null,
  query: string,
  variables: Record<string, unknown>,
): Promise<{ data: unknown; cookie: string | null }> {
  const response = await fetch(`${apiUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(`the API refused the demo set-up: ${body.errors[0]?.message}`);
  const setCookie = response.headers.get('set-cookie');
  return { data: body.data, cookie: setCookie ? (setCookie.split(';')[0] ?? null) : cookie };
}

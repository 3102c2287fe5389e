// The platform on one machine: the API in this process, a worker process pulling jobs from the same
// Postgres-backed queue, and the web app when it has been built; plus the demo dataset, imported once.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

import { EnvironmentError, isPortFree, loadConfig, portFromEnv } from '@vad/api';
import { startServer } from '@vad/api/src/server';

import { loadCorruptedFashionMnist, writeMvtecFolder } from '../../models/src';

export const DEMO_DATASET_NAME = 'Demo - Fashion-MNIST sneakers';

export interface Platform {
  apiUrl: string;
  webUrl: string | null;
  admin: { email: string; password: string; demo: boolean };
  stop(): Promise<void>;
}

/** The ports the platform will listen on, checked free: call it before starting anything slow. */
export async function platformPorts(root: string): Promise<{ apiPort: number; webPort: number; webBuilt: boolean }> {
  const apiPort = portFromEnv('VAD_API_PORT') ?? 4000;
  const webPort = portFromEnv('VAD_WEB_PORT') ?? 3000;
  const webBuilt = existsSync(path.join(root, 'web', '.next', 'BUILD_ID'));
  const ports: [string, number][] = [['VAD_API_PORT', apiPort]];
  if (webBuilt) ports.push(['VAD_WEB_PORT', webPort]);
  for (const [name, port] of ports) {
    if (!(await isPortFree(port)))
      throw new EnvironmentError(`port ${port} (${name}) is in use: free it or set ${name}`);
  }
  return { apiPort, webPort, webBuilt };
}

export async function startPlatform(root: string, databaseUrl: string, log: (line: string) => void): Promise<Platform> {
  const { apiPort, webPort, webBuilt } = await platformPorts(root);
  const config = { ...loadConfig(), port: apiPort };
  const server = await startServer(config, databaseUrl, (line) => log(`[api] ${line}`));
  const apiUrl = `http://localhost:${server.port}`;
  const children: ChildProcess[] = [];
  const env = { ...process.env, DATABASE_URL: databaseUrl, VAD_API_URL: apiUrl };
  children.push(spawnService('worker', [process.execPath, '--import', 'tsx', 'api/src/worker.ts'], root, env));
  if (webBuilt) {
    const next = require.resolve('next/dist/bin/next', { paths: [path.join(root, 'web')] });
    const args = [process.execPath, next, 'start', '--port', String(webPort)];
    children.push(spawnService('web', args, path.join(root, 'web'), { ...env, NEXT_TELEMETRY_DISABLED: '1' }));
  }

  await ensureDemoDataset(root, apiUrl, config.admin, log);
  return {
    apiUrl,
    webUrl: webBuilt ? `http://localhost:${webPort}` : null,
    admin: { email: config.admin.email, password: config.admin.password, demo: !config.admin.fromEnvironment },
    stop: async () => {
      await Promise.all(children.map(stopChild));
      await server.stop();
    },
  };
}

function spawnService(name: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): ChildProcess {
  const [command = '', ...rest] = args;
  const child = spawn(command, rest, { cwd, env, stdio: ['ignore', 'inherit', 'inherit'] });
  child.on('exit', (code, signal) => {
    if (!stopping.has(child)) console.error(`[${name}] stopped unexpectedly (${signal ?? `exit code ${code}`})`);
  });
  return child;
}

/** Children being stopped on purpose, whose exit is not news. */
const stopping = new WeakSet<ChildProcess>();

function stopChild(child: ChildProcess): Promise<void> {
  stopping.add(child);
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Signs in as the admin through GraphQL, like any external tool, and imports the demo set unless it is there. */
async function ensureDemoDataset(
  root: string,
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

  const folder = path.join(root, '.data', 'demo-dataset', 'sneaker');
  if (!existsSync(path.join(folder, 'train'))) {
    log('Writing the demo dataset (corrupted Fashion-MNIST sneakers) to .data/demo-dataset');
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

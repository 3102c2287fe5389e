// The whole platform for end-to-end tests: a fresh database, the API server, a worker and the built web app,
// each a child process on a free port, as they run in production. Their output goes to web/test-results/logs.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, type WriteStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { freePort, openDatabase } from '@vad/api';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const WEB = path.join(ROOT, 'web');
export const RESULTS = path.join(WEB, 'test-results');
const NEXT_BIN = require.resolve('next/dist/bin/next', { paths: [WEB] });

export const ADMIN = { email: 'admin@e2e.local', password: 'e2e-admin-password' };

export interface Stack {
  /** The web app, as browsers reach it. */
  webUrl: string;
  /** The API, for test set-up and direct checks. */
  apiUrl: string;
  databaseUrl: string;
  /** The API's file store. */
  dataDir: string;
  /** A scratch folder for test inputs, removed by stop(). */
  scratch: string;
  stop(): Promise<void>;
}

interface Child {
  name: string;
  process: ChildProcess;
  log: WriteStream;
  tail: string[];
}

function launch(name: string, args: string[], env: Record<string, string>, cwd = ROOT): Child {
  mkdirSync(path.join(RESULTS, 'logs'), { recursive: true });
  const log = createWriteStream(path.join(RESULTS, 'logs', `${name}.log`));
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  const keep = (chunk: Buffer) => {
    log.write(chunk);
    tail.push(...chunk.toString().split('\n'));
    tail.splice(0, Math.max(0, tail.length - 40));
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return { name, process: child, log, tail };
}

/** Runs a command to completion, failing with its output's end. */
async function run(name: string, args: string[], env: Record<string, string>, cwd: string): Promise<void> {
  const child = launch(name, args, env, cwd);
  const code = await new Promise<number | null>((resolve) => child.process.on('exit', resolve));
  child.log.end();
  if (code !== 0) throw new Error(`${name} failed (exit ${code}):\n${child.tail.join('\n')}`);
}

async function waitForHttp(child: Child, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null) {
      throw new Error(`${child.name} exited (${child.process.exitCode}) before serving:\n${child.tail.join('\n')}`);
    }
    try {
      const response = await fetch(url, { redirect: 'manual' });
      if (response.status < 500) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${child.name} did not answer ${url} within ${timeoutMs} ms:\n${child.tail.join('\n')}`);
}

async function stopChild(child: Child): Promise<void> {
  if (child.process.exitCode === null && child.process.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.process.once('exit', () => resolve()));
    child.process.kill('SIGTERM');
    const timer = setTimeout(() => child.process.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
  child.log.end();
}

const BUILD_INPUTS = ['app', 'components', 'lib', 'next.config.ts', 'package.json', 'tsconfig.json'];

function newestChange(entry: string): number {
  const stat = statSync(entry, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(entry).map((name) => newestChange(path.join(entry, name))));
}

/** Whether web/.next is missing or older than a source it was built from, so that several e2e files share one build. */
function buildIsStale(): boolean {
  const built = statSync(path.join(WEB, '.next', 'BUILD_ID'), { throwIfNoEntry: false });
  if (!built) return true;
  return BUILD_INPUTS.some((input) => newestChange(path.join(WEB, input)) > built.mtimeMs);
}

/**
 * Starts everything on a fresh database `vad_test_web` beside DATABASE_URL. `next build` runs first (production
 * mode, as deployed) when the build is missing or older than the web app's sources, or always with `build: true`.
 */
export async function startStack(options: { build?: boolean } = {}): Promise<Stack> {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error('DATABASE_URL is not set: run tests with `node --import tsx scripts/test.ts <files>`');
  const { url: databaseUrl } = await openDatabase({ dataDir: '', database: 'vad_test_web', url: base, fresh: true });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'vad-web-files-'));
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'vad-web-scratch-'));
  const [apiPort, webPort] = [await freePort(), await freePort()];
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    VAD_API_PORT: String(apiPort),
    VAD_DATA_DIR: dataDir,
    VAD_ADMIN_EMAIL: ADMIN.email,
    VAD_ADMIN_PASSWORD: ADMIN.password,
    // Server-folder imports read only under their roots: the tests' inputs are made in the scratch folder.
    VAD_IMPORT_ROOTS: scratch,
    // Quick hand-offs, so a tiny run takes seconds rather than waiting on polls.
    VAD_WORKER_HEARTBEAT_MS: '500',
    VAD_WORKER_POLL_SECONDS: '1',
    NEXT_TELEMETRY_DISABLED: '1',
  };
  const children: Child[] = [];
  const stop = async () => {
    await Promise.all(children.reverse().map(stopChild));
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  };
  try {
    const build = options.build ?? buildIsStale();
    const building = build ? run('next-build', [NEXT_BIN, 'build'], env, WEB) : Promise.resolve();
    const api = launch('api', ['--import', 'tsx', 'api/src/server.ts'], env);
    children.push(api);
    await waitForHttp(api, `${apiUrl}/health`, 60_000);
    children.push(launch('worker', ['--import', 'tsx', 'api/src/worker.ts'], env));
    await building;
    const web = launch('web', [NEXT_BIN, 'start', '--port', String(webPort)], { ...env, VAD_API_URL: apiUrl }, WEB);
    children.push(web);
    const webUrl = `http://localhost:${webPort}`;
    await waitForHttp(web, `${webUrl}/sign-in`, 60_000);
    return { webUrl, apiUrl, databaseUrl, dataDir, scratch, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

// `npm start` supervises (issue 12): a worker and an API killed with SIGKILL during a run come back by themselves
// and the run finishes, and so does the run when the embedded PostgreSQL is killed (it is started again on its
// port, then the API and the worker); a start after the supervisor itself was SIGKILLed recovers alone (the
// database it left running is stopped and started again on the same port, and a child it left holding the API
// port is stopped); SIGTERM to its process group or SIGINT to it alone leaves no child and no PostgreSQL behind; a
// second start while one runs is refused. The platform runs on scratch folders and free ports, without the web
// app and the demo set.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { freePort } from '@vad/api';
import { processId, type ProcessId } from '@vad/api/src/db/processes';

import { makeMvtecFolder } from '../api/test/support/fixtures';
import { waitFor } from '../api/test/support/wait';

const ROOT = path.resolve(__dirname, '..');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'vad-supervisor-'));
const databaseDir = path.join(scratch, 'postgres');
const stateFile = path.join(scratch, 'supervisor.json');

interface Started {
  child: ChildProcess;
  output: string[];
  exit: Promise<number | null>;
}

let env: NodeJS.ProcessEnv;
let apiPort = 0;
const started: Started[] = [];

before(async () => {
  apiPort = await freePort();
  env = {
    ...process.env,
    VAD_DB_DIR: databaseDir,
    VAD_DATA_DIR: path.join(scratch, 'files'),
    VAD_API_PORT: String(apiPort),
    VAD_IMPORT_ROOTS: path.join(scratch, 'imports'),
    VAD_WEB: '0',
    VAD_DEMO: '0',
    // A killed worker's run is queued again once its heartbeat is this old.
    VAD_WORKER_HEARTBEAT_MS: '500',
    VAD_WORKER_STALE_MS: '5000',
    VAD_WORKER_REAP_MS: '500',
    VAD_WORKER_POLL_SECONDS: '1',
  };
  // The platform's own embedded database, not the test run's.
  delete env.DATABASE_URL;
  delete env.VAD_DB_PORT;
});

after(async () => {
  for (const { child } of started) {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-(child.pid ?? 0), 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
  for (const pid of platformProcesses()) process.kill(pid, 'SIGKILL');
  rmSync(scratch, { recursive: true, force: true });
});

/** `npm start`'s supervisor, in a process group of its own as a terminal would start it. */
function startPlatform(): Started {
  const output: string[] = [];
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const collect = (chunk: Buffer) => output.push(...chunk.toString().split('\n'));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const one = { child, output, exit };
  started.push(one);
  return one;
}

async function ready(platform: Started): Promise<void> {
  const outcome = await waitFor(
    'the platform to be ready',
    async () => {
      if (platform.child.exitCode !== null) return 'exited';
      return platform.output.some((line) => line.includes('Platform ready')) ? 'ready' : undefined;
    },
    120_000,
    200,
  );
  assert.equal(outcome, 'ready', `npm start exited:\n${platform.output.join('\n')}`);
}

function children(): Record<string, ProcessId> {
  return (JSON.parse(readFileSync(stateFile, 'utf8')) as { children: Record<string, ProcessId> }).children;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Every process started for this platform: they all inherit VAD_DB_DIR, PostgreSQL included. */
function platformProcesses(): number[] {
  const mark = `VAD_DB_DIR=${databaseDir}\0`;
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid)
    .filter((name) => {
      try {
        return readFileSync(`/proc/${name}/environ`, 'utf8').includes(mark);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** GraphQL as the demo admin; the session cookie outlives a restart of the API (sessions are rows). */
let cookie = '';
async function graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(`http://127.0.0.1:${apiPort}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors.map((error) => error.message).join('; '));
  cookie = response.headers.get('set-cookie')?.split(';')[0] ?? cookie;
  return body.data as T;
}

interface RunState {
  status: string;
  epoch: number;
  attempt: number;
  error: string | null;
}

async function runState(id: string): Promise<RunState> {
  return (await graphql<{ run: RunState }>('query($id: ID!) { run(id: $id) { status epoch attempt error } }', { id }))
    .run;
}

async function apiAnswers(): Promise<boolean | undefined> {
  const response = await fetch(`http://127.0.0.1:${apiPort}/health`, { signal: AbortSignal.timeout(5_000) });
  return response.ok ? true : undefined;
}

const databasePort = (output: string[]) =>
  output.map((line) => /Embedded PostgreSQL listening on 127\.0\.0\.1:(\d+)/.exec(line)?.[1]).find(Boolean);

describe('npm start supervises', () => {
  let first: Started;

  it('starts the API and a worker again after SIGKILL, and the run they were on finishes', async () => {
    first = startPlatform();
    await ready(first);
    await graphql('mutation { login(email: "admin@vad.local", password: "vad-demo-admin") { __typename } }');
    const folder = await makeMvtecFolder(path.join(scratch, 'imports', 'parts'), {
      train: 16,
      testGood: 2,
      defects: { crack: 2 },
    });
    const { importDataset } = await graphql<{ importDataset: { id: string } }>(
      'mutation($p: String!) { importDataset(input: { path: $p, name: "parts" }) { id } }',
      { p: folder },
    );
    const { startRun } = await graphql<{ startRun: { id: string } }>(
      'mutation($d: ID!) { startRun(input: { datasetId: $d, preset: TINY, epochs: 8 }) { id } }',
      { d: importDataset.id },
    );
    await waitFor(
      'the worker to be training',
      async () => {
        const run = await runState(startRun.id);
        return run.status === 'RUNNING' && run.epoch >= 1 ? run : undefined;
      },
      90_000,
      100,
    );
    const before = children();
    assert.ok(before.api && before.worker, JSON.stringify(before));
    process.kill(before.worker.pid, 'SIGKILL');
    process.kill(before.api.pid, 'SIGKILL');
    await waitFor(
      'a new worker and a new API',
      async () => {
        const now = children();
        const back = now.api && now.worker && now.api.pid !== before.api?.pid && now.worker.pid !== before.worker?.pid;
        return back && (await apiAnswers()) ? true : undefined;
      },
      60_000,
      250,
    );
    await waitFor('the new worker to be ready', async () =>
      first.output.filter((line) => /\[worker\] worker .* ready/.test(line)).length >= 2 ? true : undefined,
    );
    for (const name of ['api', 'worker']) {
      assert.ok(
        first.output.some((line) => line.includes(`[supervisor] ${name} stopped unexpectedly (SIGKILL`)),
        first.output.join('\n'),
      );
    }
    const done = await waitFor(
      'the run to finish on the new worker',
      async () => {
        const run = await runState(startRun.id);
        return ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(run.status) ? run : undefined;
      },
      120_000,
      250,
    );
    assert.equal(done.status, 'SUCCEEDED', `${done.error}\n${first.output.join('\n')}`);
    assert.ok(done.attempt >= 2, `attempt ${done.attempt}: resumed by the new worker`);
  });

  it('recovers by itself at the next start after the supervisor was SIGKILLed', async () => {
    const { api, worker } = children();
    process.kill(first.child.pid ?? 0, 'SIGKILL');
    // The children notice that the supervisor is gone and stop; the database stays until the next start.
    await waitFor('the children of the killed supervisor to stop', async () =>
      !alive(api?.pid ?? 0) && !alive(worker?.pid ?? 0) ? true : undefined,
    );
    // One that did not stop (hung, or started before this was in place) holds the API port: the record of the
    // dead supervisor names it, so the next start stops it.
    const squatter = spawn(
      process.execPath,
      ['-e', `require('node:http').createServer((q, s) => s.end('taken')).listen(${apiPort})`],
      { stdio: 'ignore', detached: true },
    );
    started.push({ child: squatter, output: [], exit: Promise.resolve(null) });
    await waitFor('the stand-in to hold the API port', async () =>
      (await fetch(`http://127.0.0.1:${apiPort}/`).catch(() => null)) ? true : undefined,
    );
    const record = JSON.parse(readFileSync(stateFile, 'utf8')) as { children: Record<string, ProcessId> };
    record.children.api = processId(squatter.pid ?? 0);
    writeFileSync(stateFile, JSON.stringify(record));

    const second = startPlatform();
    await ready(second);
    assert.ok(
      second.output.some((line) => line.includes('that a previous start left running when it died')),
      second.output.join('\n'),
    );
    assert.ok(
      second.output.some((line) => line.includes(`Stopping the api (pid ${squatter.pid})`)),
      second.output.join('\n'),
    );
    assert.equal(alive(squatter.pid ?? 0), false);
    assert.equal(databasePort(second.output), databasePort(first.output), 'the database keeps its port');
    assert.equal(await apiAnswers(), true);

    // A second start on the same data folders is refused, naming the one that runs.
    const twice = startPlatform();
    assert.equal(await twice.exit, 1);
    assert.ok(
      twice.output.some((line) =>
        line.includes(`error: npm start is already running on these data folders (process ${second.child.pid})`),
      ),
      twice.output.join('\n'),
    );

    // SIGTERM to the process group, as a service manager or a closing terminal sends it.
    process.kill(-(second.child.pid ?? 0), 'SIGTERM');
    assert.equal(await second.exit, 143);
    assert.deepEqual(platformProcesses(), [], 'no child and no PostgreSQL remain');
  });

  it('starts the embedded PostgreSQL again after SIGKILL, then the API and the worker, and the run finishes', async () => {
    const platform = startPlatform();
    await ready(platform);
    cookie = '';
    await graphql('mutation { login(email: "admin@vad.local", password: "vad-demo-admin") { __typename } }');
    const { datasets } = await graphql<{ datasets: { edges: { node: { id: string } }[] } }>(
      '{ datasets(first: 1) { edges { node { id } } } }',
    );
    const { startRun } = await graphql<{ startRun: { id: string } }>(
      'mutation($d: ID!) { startRun(input: { datasetId: $d, preset: TINY, epochs: 8 }) { id } }',
      { d: datasets.edges[0]?.node.id },
    );
    await waitFor(
      'the worker to be training',
      async () => {
        const run = await runState(startRun.id);
        return run.status === 'RUNNING' && run.epoch >= 1 ? run : undefined;
      },
      90_000,
      100,
    );
    const postmaster = Number(readFileSync(path.join(databaseDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const port = databasePort(platform.output);
    const before = children();
    process.kill(postmaster, 'SIGKILL');
    // New processes either way: restarted by the watch, or (had they died of the lost connections first) by
    // their own restart, which the watch then starts at once.
    await waitFor(
      'the database, the API and the worker to be back',
      async () => {
        if (!platform.output.some((line) => line.includes('the embedded PostgreSQL is back'))) return undefined;
        const now = children();
        const fresh = now.api && now.worker && now.api.pid !== before.api?.pid && now.worker.pid !== before.worker?.pid;
        return fresh && (await apiAnswers()) ? true : undefined;
      },
      120_000,
      250,
    );
    const said = platform.output.join('\n');
    assert.match(
      said,
      new RegExp(`\\[supervisor\\] the embedded PostgreSQL \\(pid ${postmaster}\\) stopped unexpectedly`),
    );
    assert.match(
      said,
      /\[supervisor\] the embedded PostgreSQL is back on port \d+ .*: restarting the API and the worker/,
    );
    assert.equal(
      databasePort(platform.output.slice(platform.output.findIndex((l) => l.includes('stopped unexpectedly')))),
      port,
    );
    // The session (a row) survived: committed data is there after the crash.
    const done = await waitFor(
      'the run to finish after the database came back',
      async () => {
        const run = await runState(startRun.id);
        return ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(run.status) ? run : undefined;
      },
      180_000,
      250,
    );
    assert.equal(done.status, 'SUCCEEDED', `${done.error}\n${said}`);
    process.kill(-(platform.child.pid ?? 0), 'SIGTERM');
    assert.equal(await platform.exit, 143);
    assert.deepEqual(platformProcesses(), [], 'no child and no PostgreSQL remain');
  });

  it('stops everything on SIGINT to the supervisor alone', async () => {
    const third = startPlatform();
    await ready(third);
    process.kill(third.child.pid ?? 0, 'SIGINT');
    assert.equal(await third.exit, 130);
    assert.deepEqual(platformProcesses(), [], 'no child and no PostgreSQL remain');
  });
});

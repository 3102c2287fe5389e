// A worker killed with SIGKILL in the middle of training: its heartbeat goes stale, the run is queued again
// (never left RUNNING), and another worker resumes it from the last checkpoint and finishes it.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { startTestApi, type TestApi, type TestUser } from '../support/api';
import { makeMvtecFolder } from '../support/fixtures';
import { waitFor } from '../support/wait';

const ROOT = path.resolve(__dirname, '..', '..', '..');
let api: TestApi;
let admin: TestUser;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'vad-kill-'));
const workers: ChildProcess[] = [];

/** A worker as a separate process, as `npm run worker -w api` starts it. */
function spawnWorker(name: string): { process: ChildProcess; output: string[] } {
  const output: string[] = [];
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'api', 'src', 'worker.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: api.databaseUrl,
      VAD_DATA_DIR: api.dataDir,
      VAD_WORKER_HEARTBEAT_MS: '250',
      // Generous for a loaded 2-core machine, where a live worker can go unscheduled for a second or two.
      VAD_WORKER_STALE_MS: '5000',
      VAD_WORKER_REAP_MS: '500',
      VAD_WORKER_POLL_SECONDS: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => output.push(`${name}: ${chunk.toString()}`));
  child.stderr!.on('data', (chunk: Buffer) => output.push(`${name}: ${chunk.toString()}`));
  workers.push(child);
  return { process: child, output };
}

before(async () => {
  api = await startTestApi('worker_kill', (config) => {
    // The server reaps as well, on the same short clock as the workers.
    config.worker.staleMs = 5000;
    config.worker.reapIntervalMs = 500;
  });
  admin = await api.user('ADMIN');
});
after(async () => {
  for (const child of workers) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await api.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('a worker killed with SIGKILL during a run', () => {
  it('is detected, and the run resumes from its checkpoint on another worker', async () => {
    const folder = await makeMvtecFolder(path.join(scratch, 'data'), { train: 16, testGood: 2, defects: { crack: 2 } });
    const datasetId = (
      await api.ok<{ importDataset: { id: string } }>(
        'mutation($p: String!) { importDataset(input: { path: $p, name: "kill" }) { id } }',
        { p: folder },
        { cookie: admin.cookie },
      )
    ).importDataset.id;
    const epochs = 30;
    const runId = (
      await api.ok<{ startRun: { id: string } }>(
        'mutation($d: ID!, $e: Int!) { startRun(input: { datasetId: $d, preset: TINY, epochs: $e }) { id } }',
        { d: datasetId, e: epochs },
        { cookie: admin.cookie },
      )
    ).startRun.id;

    const first = spawnWorker('first');
    const checkpoint = path.join(api.dataDir, 'runs', runId, 'out', 'checkpoints', 'model.pt');
    const before = await waitFor(
      'the first worker to checkpoint a few epochs',
      async () => {
        const run = await api.prisma.run.findUniqueOrThrow({ where: { id: runId } });
        return run.status === 'RUNNING' && run.epoch >= 3 && existsSync(checkpoint) ? run : undefined;
      },
      90_000,
      50,
    );
    assert.equal(before.attempt, 1);
    first.process.kill('SIGKILL');
    await new Promise((resolve) => first.process.once('exit', resolve));
    const killedAt = Date.now();

    // With no worker alive, the run must not stay RUNNING: the server's reaper queues it again.
    const requeued = await waitFor(
      'the run to leave RUNNING',
      async () => {
        const run = await api.prisma.run.findUniqueOrThrow({ where: { id: runId } });
        return run.status !== 'RUNNING' ? run : undefined;
      },
      20_000,
      100,
    );
    assert.equal(requeued.status, 'QUEUED');
    assert.match(requeued.phase, /stopped responding/);
    assert.ok(Date.now() - killedAt < 15_000);

    const second = spawnWorker('second');
    let done;
    try {
      done = await waitFor(
        'the second worker to finish the run',
        async () => {
          const run = await api.prisma.run.findUniqueOrThrow({ where: { id: runId } });
          return ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(run.status) ? run : undefined;
        },
        120_000,
        200,
      );
    } finally {
      // Gone before the next test queues a run: a worker still shutting down must not pick it up.
      const exited = new Promise((resolve) => second.process.once('exit', resolve));
      second.process.kill('SIGTERM');
      await exited;
    }
    assert.equal(done.status, 'SUCCEEDED', `${done.error}\n${[...first.output, ...second.output].join('')}`);
    // 2; more only if the loaded machine starved the second worker's heartbeat too (it then resumed again).
    assert.ok(done.attempt >= 2, `attempt ${done.attempt}`);
    assert.ok(done.startEpoch > 1, `the second attempt resumed (started at epoch ${done.startEpoch}), not restarted`);
    assert.ok(done.startEpoch <= before.epoch + 2);
    // Every epoch once, in order, up to the last. The epoch the kill interrupted between its checkpoint and
    // its progress write may be missing: the checkpoint has it, the record of its loss died with the worker.
    const history = (done.lossHistory as { epoch: number }[]).map((entry) => entry.epoch);
    assert.deepEqual(
      history,
      [...new Set(history)].sort((a, b) => a - b),
    );
    assert.equal(history.at(-1), epochs);
    assert.ok(history.length >= epochs - 1, `epochs recorded: ${history.join(', ')}`);

    assert.equal(await api.prisma.result.count({ where: { runId } }), 4);
  });

  it('a worker stopped with SIGTERM checkpoints its run and hands it back at once', async () => {
    const datasetId = (await api.prisma.dataset.findFirstOrThrow({ where: { name: 'kill' } })).id;
    const runId = (
      await api.ok<{ startRun: { id: string } }>(
        'mutation($d: ID!) { startRun(input: { datasetId: $d, preset: TINY, epochs: 400 }) { id } }',
        { d: datasetId },
        { cookie: admin.cookie },
      )
    ).startRun.id;
    const worker = spawnWorker('stopped');
    await waitFor(
      'this worker to be training the run',
      async () => {
        const run = await api.prisma.run.findUniqueOrThrow({ where: { id: runId } });
        const mine = run.workerId?.split(':')[1] === String(worker.process.pid);
        return mine && run.status === 'RUNNING' && run.epoch >= 1 ? run : undefined;
      },
      90_000,
      50,
    );
    worker.process.kill('SIGTERM');
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) =>
      worker.process.once('exit', (exitCode, exitSignal) => resolve([exitCode, exitSignal])),
    );
    assert.equal(code, 0, `signal ${signal}\n${worker.output.join('')}`);
    const run = await api.prisma.run.findUniqueOrThrow({ where: { id: runId } });
    assert.equal(run.status, 'QUEUED', 'handed back without waiting for the heartbeat to go stale');
    assert.match(run.phase, /shut down/);
    assert.ok(existsSync(path.join(api.dataDir, 'runs', runId, 'out', 'checkpoints', 'model.pt')));
    await api.ok('mutation($id: ID!) { cancelRun(id: $id) { id } }', { id: runId }, { cookie: admin.cookie });
  });
});

// A worker shares the CPU with an API beside it (issue 12): it lowers the priority of all its threads, and the
// engine trains on VAD_TRAIN_THREADS threads. Applied in a child process: a priority once lowered cannot be raised
// again without privileges, and the test runner must keep its own.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

import { cpuShareFromEnv } from '../../src/jobs/cpu-share';

const run = promisify(execFile);
const API = path.resolve(__dirname, '..', '..');

describe("a worker's CPU share", () => {
  it('defaults to nice 10 and every core, and names a bad setting', () => {
    assert.deepEqual(cpuShareFromEnv({}), { nice: 10, trainThreads: 0 });
    assert.deepEqual(cpuShareFromEnv({ VAD_WORKER_NICE: '0', VAD_TRAIN_THREADS: '1' }), { nice: 0, trainThreads: 1 });
    assert.throws(
      () => cpuShareFromEnv({ VAD_WORKER_NICE: '20' }),
      /^EnvironmentError: VAD_WORKER_NICE=20 is not an integer from 0 to 19$/,
    );
    assert.throws(() => cpuShareFromEnv({ VAD_TRAIN_THREADS: 'two' }), /VAD_TRAIN_THREADS=two is not an integer/);
  });

  it('lowers the priority of every thread and caps the engine at VAD_TRAIN_THREADS', async () => {
    const script = `
      const os = require('node:os');
      const fs = require('node:fs');
      const { applyCpuShare } = require('./src/jobs/cpu-share');
      const said = applyCpuShare({ nice: 7, trainThreads: 1 });
      const native = require('@vad/native');
      // Threads the engine starts after the change inherit it.
      const info = native.runtimeInfo();
      const nices = fs.readdirSync('/proc/self/task').map((tid) => os.getPriority(Number(tid)));
      console.log(JSON.stringify({ said, info, nices }));`;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '-e', script], { cwd: API });
    const { said, info, nices } = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      said: string;
      info: string;
      nices: number[];
    };
    assert.match(said, /^nice 7 \(\d+ thread\(s\)/);
    assert.match(said, /1 training thread\(s\)$/);
    assert.match(info, /, 1 CPU threads/);
    assert.ok(nices.length > 1 && nices.every((nice) => nice === 7), JSON.stringify(nices));
  });
});

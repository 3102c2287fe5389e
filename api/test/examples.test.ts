// The scripts in api/examples, run as a user would run them against a live API: a Node script launches a run
// with an API key and follows it over the WebSocket, curl reads its top results, Python (standard library only)
// pages through every result and downloads each map's values, and a webhook receiver checks a signed event.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';

import { decodeNpy } from '@vad/models';

import { startWorker, type StartedWorker } from '../src/worker';
import { startTestApi, type TestApi } from './support/api';
import { makeMvtecFolder } from './support/fixtures';

const EXAMPLES = path.resolve(__dirname, '..', 'examples');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'vad-examples-'));
let api: TestApi;
let worker: StartedWorker;
let env: NodeJS.ProcessEnv;
let runId: string;

// Asynchronous on purpose: the API runs in this process, and a synchronous child would block the very server
// it talks to.
async function run(command: string, args: string[], extra: Record<string, string> = {}) {
  try {
    const { stdout } = await promisify(execFile)(command, args, {
      cwd: EXAMPLES,
      env: { ...env, ...extra },
      encoding: 'utf8',
      timeout: 120_000,
    });
    return stdout;
  } catch (error) {
    const failed = error as Error & { stdout?: string; stderr?: string };
    assert.fail(`${command} ${args.join(' ')}: ${failed.message}\n${failed.stderr ?? ''}${failed.stdout ?? ''}`);
  }
}

before(async () => {
  api = await startTestApi('examples', (config) => {
    config.worker.heartbeatMs = 300;
    config.worker.pollIntervalSeconds = 1;
  });
  const admin = await api.user('ADMIN');
  const folder = await makeMvtecFolder(path.join(scratch, 'data'), {
    size: 40,
    train: 8,
    testGood: 2,
    defects: { crack: 3 },
  });
  const { importDataset } = await api.ok<{ importDataset: { id: string } }>(
    'mutation($p: String!) { importDataset(input: { path: $p, name: "examples" }) { id } }',
    { p: folder },
    { cookie: admin.cookie },
  );
  const { createApiKey } = await api.ok<{ createApiKey: { secret: string } }>(
    'mutation { createApiKey(name: "scripts", scopes: [READ, WRITE]) { secret } }',
    {},
    { cookie: admin.cookie },
  );
  env = { PATH: process.env.PATH, VAD_URL: api.url, VAD_KEY: createApiKey.secret, DATASET_ID: importDataset.id };
  worker = await startWorker(api.config, api.databaseUrl, () => {});
});
after(async () => {
  await worker?.stop();
  await api?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('the API from a script', { timeout: 240_000 }, () => {
  it('Node: launches a run with an API key and follows it live to the end', async () => {
    const lines = (await run(process.execPath, ['launch-and-follow.mjs'])).trim().split('\n');
    const last = /^run ([0-9a-f-]{36}) SUCCEEDED$/.exec(lines.at(-1)!);
    assert.ok(last, lines.join('\n'));
    runId = last[1]!;
  });

  it('curl: reads the top results, most anomalous first', async () => {
    const answer = JSON.parse(await run('sh', ['top-results.sh'], { RUN_ID: runId })) as {
      data: { run: { results: { edges: { node: { score: number; maps: { npyUrl: string }[] } }[] } } };
    };
    const scores = answer.data.run.results.edges.map((edge) => edge.node.score);
    assert.equal(scores.length, 5);
    assert.deepEqual(
      scores,
      [...scores].sort((a, b) => b - a),
    );
  });

  it('Node: a webhook receiver registers itself and checks the signature of the event it is sent', async () => {
    const printed = await run(process.execPath, ['webhook-receiver.mjs']);
    assert.match(printed, /^verified webhook\.test [0-9a-f-]{36} \(delivery [0-9a-f-]{36}\)$/m);
    assert.equal(await api.prisma.webhook.count(), 0, 'it deleted its webhook');
  });

  it("Python: pages through every result and downloads each map's values and the scores", async (context) => {
    if (spawnSync('python3', ['--version']).status !== 0) return context.skip('python3 is not installed');
    const out = path.join(scratch, 'maps');
    const printed = await run('python3', ['download-maps.py', out], { RUN_ID: runId });
    assert.match(printed, /^5 results in /);
    const scores = readFileSync(path.join(out, 'scores.csv'), 'utf8').trim().split(/\r?\n/);
    assert.equal(scores[0], 'image,label,defect_type,score');
    assert.equal(scores.length, 6);
    const maps = readdirSync(out).filter((name) => name.endsWith('.npy'));
    assert.ok(maps.length >= 5 * 4, `${maps.length} maps: four map types or more per result`);
    const first = decodeNpy(readFileSync(path.join(out, maps[0]!)));
    assert.deepEqual([first.width, first.height], [40, 40], "at the image's resolution");
  });
});

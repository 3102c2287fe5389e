import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { runFromSpec } from '../../src';
import { makeTempDir } from '../datasets/fixtures';
import { writeSyntheticMvtec } from '../pipeline/synthetic';

const REPO_ROOT = resolve(__dirname, '../../..');
const VAD = resolve(__dirname, '../../bin/vad.js');

function vad(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, [VAD, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('vad predict', () => {
  let tmp: string;
  let remove: () => Promise<void>;
  let data: string;
  let run: string;
  before(async () => {
    ({ path: tmp, remove } = await makeTempDir('cli-predict'));
    data = join(tmp, 'widget');
    await writeSyntheticMvtec(data, { trainCount: 16, testGoodCount: 2, defectCount: 1 });
    run = join(tmp, 'run');
    assert.equal(
      (await runFromSpec({ data, out: run, options: { preset: 'tiny', device: 'cpu' } })).status,
      'completed',
    );
  });
  after(() => remove());

  it('is listed in the general help and has its own', async () => {
    assert.match((await vad(['--help'])).stdout, /vad predict {2}--model <run dir> --data <folder>/);
    const help = await vad(['predict', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--model <run dir>/);
    assert.match(help.stdout, /scores\.csv/);
  });

  it('scores a folder: scores.csv and the maps as TIFF, .npy and PNG', async () => {
    const out = join(tmp, 'scored');
    const result = await vad(['predict', '--model', run, '--data', join(data, 'test/scratch'), '--out', out]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /scored 1 images .*maps: attention, residual, ssim, msgms; scores: .*scores\.csv/);
    const csv = await readFile(join(out, 'scores.csv'), 'utf8');
    assert.match(csv, /^image,width,height,score,anomalous,/);
    assert.match(csv, /\n000\.png,48,40,/);
    for (const mapType of ['attention', 'residual', 'ssim', 'msgms'])
      for (const ext of ['tiff', 'npy', 'png']) assert.ok(existsSync(join(out, 'maps', mapType, `000.${ext}`)));
    const again = await vad(['predict', '--model', run, '--data', join(data, 'test/scratch'), '--out', out]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /--out: .* holds predictions already/);
  });

  it('names what is wrong: flags, a missing checkpoint, no images, an unreadable image', async () => {
    const missing = await vad(['predict', '--data', data]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--model is required/);
    const notRun = await vad(['predict', '--model', data, '--data', join(data, 'test')]);
    assert.equal(notRun.code, 2);
    assert.match(notRun.stderr, /--model: .*not a run folder/);

    const noCheckpoint = join(tmp, 'no-checkpoint');
    await mkdir(noCheckpoint);
    await writeFile(join(noCheckpoint, 'config.json'), await readFile(join(run, 'config.json')));
    const untrained = await vad(['predict', '--model', noCheckpoint, '--data', join(data, 'test')]);
    assert.equal(untrained.code, 2);
    assert.match(untrained.stderr, /--model: .*checkpoints\/model\.pt: no trained model here/);

    const empty = join(tmp, 'empty');
    await mkdir(empty);
    const none = await vad(['predict', '--model', run, '--data', empty]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /--data: .*empty: no images to score here/);

    const broken = join(tmp, 'broken');
    await mkdir(broken);
    await writeFile(join(broken, 'bad.jpg'), 'not a jpeg');
    const unreadable = await vad(['predict', '--model', run, '--data', broken]);
    assert.equal(unreadable.code, 2);
    assert.match(unreadable.stderr, /--data: .*bad\.jpg: cannot decode image/);

    const device = await vad(['predict', '--model', run, '--data', empty, '--device', 'tpu']);
    assert.equal(device.code, 2);
    assert.match(device.stderr, /--device: expected one of auto, cpu, cuda/);
  });
});

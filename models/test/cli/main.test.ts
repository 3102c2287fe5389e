import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { makeTempDir } from '../datasets/fixtures';
import { writeSyntheticMvtec } from '../pipeline/synthetic';

const REPO_ROOT = resolve(__dirname, '../../..');
const VAD = resolve(__dirname, '../../bin/vad.js');

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real bin in a child process; `onStderr` may act on the output as it arrives (e.g. send Ctrl-C). */
function vad(args: string[], onStderr?: (text: string, child: ReturnType<typeof spawn>) => void): Promise<Finished> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [VAD, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      onStderr?.(stderr, child);
    });
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

describe('the vad command line', () => {
  let tmp: string;
  let remove: () => Promise<void>;
  let data: string;
  before(async () => {
    ({ path: tmp, remove } = await makeTempDir('cli'));
    data = join(tmp, 'widget');
    await writeSyntheticMvtec(data);
  });
  after(() => remove());

  it('prints its help through npx from the repository root', async () => {
    const result = await new Promise<Finished>((done, reject) => {
      const child = spawn('npx', ['--no-install', 'vad', '--help'], { cwd: REPO_ROOT });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => done({ code, stdout, stderr: '' }));
    });
    assert.equal(result.code, 0);
    assert.match(result.stdout, /vad run {6}--data <source> --out <dir>/);
    assert.match(result.stdout, /fashion-mnist:<class>\[:<variant>\]/);
    assert.match(result.stdout, /--attention-weight <w>/);
  });

  it('prints the help of a command', async () => {
    const result = await vad(['explain', '--help']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /vad explain --out <dir>/);
    assert.doesNotMatch(result.stdout, /--epochs/);
  });

  it('exits 2 with a message naming the bad flag or value', async () => {
    const cases: [string[], RegExp][] = [
      [['run', '--data', data, '--out', join(tmp, 'x'), '--sise', '3'], /Unknown option '--sise'/],
      [['run', '--data', join(tmp, 'missing'), '--out', join(tmp, 'x')], /--data: .*missing does not exist/],
      [['run', '--data', 'fashion-mnist:dog', '--out', join(tmp, 'x')], /--data: .*unknown Fashion-MNIST class "dog"/],
      [['run', '--data', join(data, 'test'), '--out', join(tmp, 'x')], /--data: .*test: unrecognised layout/],
      [
        ['run', '--data', data, '--out', join(tmp, 'x'), '--preset', 'tiny', '--size', '36'],
        /--size: must be a multiple of 8/,
      ],
      [
        ['run', '--data', data, '--out', join(tmp, 'x'), '--preset', 'tiny', '--map-layer', 'enc5'],
        /--map-layer: must be one of/,
      ],
    ];
    for (const [args, message] of cases) {
      const result = await vad(args);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, message);
      assert.match(result.stderr, /Run `vad --help` for usage/);
      assert.equal(result.stdout, '');
    }
    assert.ok(!existsSync(join(tmp, 'x', 'checkpoints')));
  });

  it('runs the whole pipeline, printing plain progress lines off a terminal and the metrics at the end', async () => {
    const out = join(tmp, 'run');
    const result = await vad(['run', '--data', data, '--out', out, '--preset', 'tiny', '--device', 'cpu']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /^train epoch 2\/2 {2}loss \S+ {2}val \S+ {2}\S+ img\/s {2}ETA \S+$/m);
    assert.match(result.stdout, /^map +image AUROC +pixel AUROC +AUPRO@0\.3 +F1-max +best IoU$/m);
    assert.match(result.stdout, /^residual( +\d\.\d{3}){5}$/m);
    assert.match(result.stdout, /report: .*report\.md/);
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as { maps: object };
    assert.deepEqual(Object.keys(report.maps), ['attention', 'residual', 'ssim', 'msgms']);
  });

  it('stops training on Ctrl-C with exit code 130, keeps the checkpoint, and --resume finishes the run', async () => {
    const out = join(tmp, 'interrupted');
    let sent = false;
    const interrupted = await vad(
      ['train', '--data', data, '--out', out, '--preset', 'tiny', '--device', 'cpu', '--epochs', '1000'],
      (stderr, child) => {
        if (!sent && /train epoch 1\/1000/.test(stderr)) {
          sent = true;
          child.kill('SIGINT');
        }
      },
    );
    assert.equal(interrupted.code, 130, interrupted.stderr);
    assert.match(interrupted.stderr, /cancelled: training stopped; the checkpoint is kept/);
    assert.match(interrupted.stderr, /--resume/);
    assert.ok(existsSync(join(out, 'checkpoints/model.pt')));
    const record = JSON.parse(await readFile(join(out, 'checkpoints/train.json'), 'utf8')) as {
      epochsCompleted: number;
      finished: boolean;
    };
    assert.equal(record.finished, false);
    assert.ok(record.epochsCompleted >= 1 && record.epochsCompleted < 1000);

    // Resuming may lower the total to what is nearly done, so the test does not train 1000 epochs.
    const target = String(record.epochsCompleted + 1);
    const resumed = await vad(['train', '--out', out, '--resume', '--epochs', target]);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stderr, new RegExp(`resuming at epoch ${target}`));
    assert.match(resumed.stdout, new RegExp(`trained ${target} epochs`));
  });
});

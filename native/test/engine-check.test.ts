// The standalone engine check (how GPU hosts without Node test the engine) runs and reports its timings.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const program = path.resolve(__dirname, '..', 'build', 'vad_engine_check');

describe('vad_engine_check', () => {
  it('trains, explains and prints timings on a tiny model', (t) => {
    assert.ok(fs.existsSync(program), `${program} is missing: run \`npm run build -w native\``);
    const output = execFileSync(
      program,
      ['--size', '32', '--depth', '3', '--base', '4', '--batch', '2', '--steps', '2', '--device', 'cpu'],
      { encoding: 'utf8' },
    );
    t.diagnostic(output.trim().split('\n')[0]!);
    assert.match(output, /U-Net: 1 x 32 x 32, depth 3, base 4, \d+ parameters/);
    assert.match(output, /device cpu: [\d.]+ s\/step after the first, [\d.]+ images\/s/);
    assert.match(output, /training with the attention term/);
    assert.match(output, /explain \(5 maps, batch 2\) round 2: [\d.]+ s/);
    assert.match(output, /training with synthetic defects and the segmentation head \(\d+ parameters in all\)/);
    assert.match(output, /explain \(segmentation and residual maps, batch 2\): [\d.]+ s, segmentation map in \[/);
    assert.match(output, /engine check passed/);
  });

  it('fails with a message for a size that is not a multiple of 2^depth', () => {
    const run = spawnSync(program, ['--size', '50'], { encoding: 'utf8' });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /imageSize 50 is not a multiple of 2\^depth = 16/);
  });
});

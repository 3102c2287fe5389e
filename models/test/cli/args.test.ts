import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { parseCommandLine, UsageError } from '../../src/cli/args';

function fails(argv: string[], message: RegExp): void {
  assert.throws(
    () => parseCommandLine(argv),
    (error: unknown) => error instanceof UsageError && message.test(error.message),
    argv.join(' '),
  );
}

describe('parseCommandLine', () => {
  it('reads every flag of run into typed overrides', () => {
    const parsed = parseCommandLine([
      'run',
      '--data=fashion-mnist:7',
      '--out',
      'o',
      '--preset',
      'small',
      '--size',
      '64',
      '--patch-size',
      '32',
      '--epochs',
      '3',
      '--batch',
      '8',
      '--loss',
      'ssim_mse',
      '--attention-layer',
      'enc3',
      '--attention-weight',
      '0.05',
      '--attention-sign',
      'neg_relu',
      '--map-layer',
      'enc2',
      '--map-sign',
      'relu',
      '--map-targets',
      'loss, reencoded',
      '--smoothing',
      '0.0625',
      '--score',
      'max',
      '--device',
      'cpu',
      '--seed',
      '4',
      '--synthetic-defects',
      '0.5',
      '--segmentation-head',
      'true',
      '--resume',
    ]);
    assert.deepEqual(parsed, {
      command: 'run',
      help: false,
      data: 'fashion-mnist:7',
      out: 'o',
      resume: true,
      options: {
        preset: 'small',
        imageSize: 64,
        patchSize: 32,
        epochs: 3,
        batchSize: 8,
        loss: 'ssim_mse',
        attentionLayer: 'enc3',
        attentionWeight: 0.05,
        attentionSign: 'neg_relu',
        mapLayer: 'enc2',
        mapSign: 'relu',
        mapTargets: ['loss', 'reencoded'],
        smoothing: 0.0625,
        score: 'max',
        device: 'cpu',
        seed: 4,
        syntheticDefects: 0.5,
        segmentationHead: true,
      },
    });
    const off = parseCommandLine(['train', '--data', 'd', '--out', 'o', '--segmentation-head', 'false']);
    assert.ok(off.command !== null && off.options.segmentationHead === false);
  });

  it('answers help without other checks', () => {
    assert.deepEqual(parseCommandLine([]), { command: null, help: true });
    assert.deepEqual(parseCommandLine(['--help']), { command: null, help: true });
    assert.equal(parseCommandLine(['train', '-h']).help, true);
  });

  it('names the command or flag at fault', () => {
    fails(['fit'], /unknown command "fit": expected one of run, train, explain, evaluate/);
    fails(['--data', 'x'], /expected a command before --data/);
    fails(['run', '--data', 'd', '--out', 'o', '--sise', '3'], /Unknown option '--sise'/);
    fails(['run', '--data', 'd', '--out', 'o', 'extra'], /Unexpected argument 'extra'/);
    fails(['run', '--data', 'd'], /--out <dir> is required/);
    fails(['train', '--out', 'o'], /--data is required/);
    fails(['run', '--data', 'd', '--out', 'o', '--epochs', 'ten'], /--epochs: expected an integer, got "ten"/);
    fails(['run', '--data', 'd', '--out', 'o', '--epochs', '0'], /--epochs: must be an integer in 1\.\.10000, got 0/);
    fails(['run', '--data', 'd', '--out', 'o', '--map-layer', 'dec1'], /--map-layer: must be an encoder layer/);
    fails(['run', '--data', 'd', '--out', 'o', '--size', '2.5'], /--size: expected an integer/);
    fails(['run', '--data', 'd', '--out', 'o', '--attention-weight', 'x'], /--attention-weight: expected a number/);
    fails(
      ['run', '--data', 'd', '--out', 'o', '--attention-weight=-1'],
      /--attention-weight: must be a number in 0\.\.10000000/,
    );
    fails(['run', '--data', 'd', '--out', 'o', '--loss', 'huber'], /--loss: must be one of mse, l1, ssim, ssim_mse/);
    fails(['run', '--data', 'd', '--out', 'o', '--device', 'tpu'], /--device: must be one of auto, cpu, cuda/);
    fails(['run', '--data', 'd', '--out', 'o', '--map-targets', 'loss,pixels'], /--map-targets: .*"pixels"/);
    fails(['run', '--data', '', '--out', 'o'], /--data: empty value/);
    fails(
      ['run', '--data', 'd', '--out', 'o', '--segmentation-head', 'yes'],
      /--segmentation-head: expected true or false/,
    );
    fails(['explain', '--out', 'o', '--segmentation-head', 'true'], /--segmentation-head does not apply to explain/);
    fails(
      ['explain', '--out', 'o', '--epochs', '3'],
      /--epochs does not apply to explain \(it is a flag of run, train\)/,
    );
    fails(['evaluate', '--out', 'o', '--map-layer', 'enc1'], /--map-layer does not apply to evaluate/);
  });
});

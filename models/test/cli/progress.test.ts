import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { TrainProgress } from '@vad/native';

import { formatDuration, ProgressRenderer } from '../../src/cli/progress';

function progress(epoch: number, step: number, loss: number): TrainProgress {
  return {
    epoch,
    epochs: 2,
    step,
    stepsPerEpoch: 2,
    loss,
    attentionLoss: 0,
    supervisionLoss: 0,
    segmentationLoss: 0,
    gradientNorm: 1,
    imagesPerSecond: 12.5,
    etaSeconds: 75,
  };
}

function capture(isTTY: boolean): { stream: { write: (text: string) => void; isTTY: boolean }; text: () => string } {
  let text = '';
  return { stream: { write: (chunk: string) => void (text += chunk), isTTY }, text: () => text };
}

describe('ProgressRenderer', () => {
  it('writes one plain line per finished epoch when not on a terminal, with the epoch mean loss', () => {
    const { stream, text } = capture(false);
    const renderer = new ProgressRenderer(stream);
    renderer.handle({ type: 'stage', stage: 'train', message: 'training' });
    renderer.handle({ type: 'train', progress: progress(1, 1, 0.4) });
    renderer.handle({ type: 'train', progress: progress(1, 2, 0.2) });
    renderer.handle({ type: 'train', progress: progress(2, 1, 0.1) });
    renderer.handle({ type: 'explain', done: 5, total: 10, imagesPerSecond: 2, etaSeconds: 2.5 });
    assert.equal(
      text(),
      'train: training\n' +
        'train epoch 1/2  loss 0.3000  12.5 img/s  ETA 1m15s\n' +
        'explain 5/10 images  2.0 img/s  ETA 3s\n',
    );
    assert.ok(!text().includes('\r'));
  });

  it('redraws one bar in place on a terminal and keeps messages on their own lines', () => {
    const { stream, text } = capture(true);
    const renderer = new ProgressRenderer(stream);
    renderer.handle({ type: 'train', progress: progress(2, 2, 0.1) });
    assert.equal(text(), `\r\x1b[2Ktrain epoch 2/2 [${'#'.repeat(24)}] 100%  loss 0.1000  12.5 img/s  ETA 1m15s`);
    renderer.handle({ type: 'stage', stage: 'explain', message: 'explaining 3 test images' });
    assert.match(text(), /ETA 1m15s\nexplain: explaining 3 test images\n$/);
  });

  it('formats durations for people', () => {
    assert.equal(formatDuration(4.4), '4s');
    assert.equal(formatDuration(125), '2m05s');
    assert.equal(formatDuration(7300), '2h01m');
    assert.equal(formatDuration(Number.NaN), '?');
  });
});

// Training: reproducibility, exact resume, the attention term, cancellation, the event loop.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';

import { AnomalyModel, type ModelConfig, type TrainOptions, type TrainProgress } from '../lib';
import { noiseImages, textures } from './support';

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'vad-train-'));
after(() => fs.rmSync(folder, { recursive: true, force: true }));

const size = 32;
const tiny: ModelConfig = { channels: 1, imageSize: size, depth: 3, baseChannels: 4, seed: 3 };
const data = textures(24, size, 11);

/** The model's full behaviour on fixed images: reconstructions and a Grad-CAM map, bit for bit. */
async function fingerprint(model: AnomalyModel): Promise<Float32Array[]> {
  const results = await model.explain(textures(2, size, 99), { maps: ['gradcam_loss'], layer: 'enc2' });
  return results.flatMap((r) => [r.reconstruction, r.maps.gradcam_loss!]);
}

describe('training', () => {
  it('is reproducible for a seed and differs across seeds', async () => {
    const options: TrainOptions = { epochs: 2, batchSize: 8, seed: 5, flipHorizontal: true, flipVertical: true };
    const config: ModelConfig = { ...tiny, skipNoiseStd: 0.05 };
    const runs = await Promise.all(
      [5, 5, 6].map(async (seed) => {
        const model = new AnomalyModel(config);
        const result = await model.train(data, { ...options, seed });
        return { result, fingerprint: await fingerprint(model) };
      }),
    );
    assert.deepEqual(runs[0]!.result.epochLosses, runs[1]!.result.epochLosses);
    assert.deepEqual(runs[0]!.fingerprint, runs[1]!.fingerprint);
    assert.notDeepEqual(runs[0]!.fingerprint, runs[2]!.fingerprint);
    assert.deepEqual(runs[0]!.result.state, {
      epochsCompleted: 2,
      stepInEpoch: 0,
      seed: 5,
      batchSize: 8,
      finished: true,
    });
  });

  it('reports progress for every step and lowers the loss', async () => {
    const model = new AnomalyModel(tiny);
    const seen: TrainProgress[] = [];
    const result = await model.train(data, { epochs: 4, batchSize: 8, onProgress: (p) => seen.push(p) });
    assert.equal(seen.length, 4 * 3);
    assert.deepEqual(
      seen.map((p) => [p.epoch, p.step]),
      [1, 2, 3, 4].flatMap((epoch) => [1, 2, 3].map((step) => [epoch, step])),
    );
    for (const p of seen) {
      assert.equal(p.epochs, 4);
      assert.equal(p.stepsPerEpoch, 3);
      assert.ok(p.imagesPerSecond > 0 && p.etaSeconds >= 0 && Number.isFinite(p.loss));
    }
    assert.equal(seen.at(-1)!.etaSeconds, 0);
    assert.equal(result.epochLosses.length, 4);
    assert.ok(result.epochLosses[3]! < result.epochLosses[0]!, `losses ${result.epochLosses.join(', ')}`);
    assert.equal(result.device, 'cpu');
    assert.equal(result.cancelled, false);
  });

  it('resumes from a checkpoint to the same weights as an uninterrupted run', async () => {
    const config: ModelConfig = { ...tiny, skipNoiseStd: 0.05 };
    const options: TrainOptions = { epochs: 3, batchSize: 8, seed: 7, flipHorizontal: true };

    const uninterrupted = new AnomalyModel(config);
    await uninterrupted.train(data, options);

    const checkpoint = path.join(folder, 'resume.ckpt');
    const first = new AnomalyModel(config);
    await first.train(data, { ...options, epochs: 1, checkpointPath: checkpoint });
    const resumed = AnomalyModel.load(checkpoint);
    assert.deepEqual(resumed.trainState, { epochsCompleted: 1, stepInEpoch: 0, seed: 7, batchSize: 8, finished: true });
    const result = await resumed.train(data, { epochs: 3, flipHorizontal: true, resume: true });
    assert.equal(result.steps, 2 * 3);
    assert.deepEqual(await fingerprint(resumed), await fingerprint(uninterrupted));
  });

  it('refuses to resume without a training state or with another seed', async () => {
    const fresh = new AnomalyModel(tiny);
    await assert.rejects(fresh.train(data, { epochs: 1, resume: true }), RangeError);
    await fresh.train(data, { epochs: 1, batchSize: 8, seed: 1 });
    await assert.rejects(fresh.train(data, { epochs: 2, resume: true, seed: 2 }), {
      name: 'RangeError',
      message: /seed 1, options.seed is 2/,
    });
  });

  it('gives finite, non-zero gradients with the attention term, which changes the update', async () => {
    for (const loss of ['mse', 'ssim_mse'] as const) {
      for (const attentionLayer of ['enc1', 'bottleneck']) {
        const gradientNorms = async (attentionWeight: number): Promise<TrainProgress[]> => {
          const model = new AnomalyModel({ ...tiny, loss });
          const seen: TrainProgress[] = [];
          await model.train(data, {
            epochs: 1,
            batchSize: 8,
            attentionWeight,
            attentionLayer,
            onProgress: (p) => seen.push(p),
          });
          return seen;
        };
        const plain = await gradientNorms(0);
        const guided = await gradientNorms(1e6);
        for (const p of guided) {
          assert.ok(Number.isFinite(p.gradientNorm) && p.gradientNorm > 0, `${loss} ${attentionLayer} gradient`);
          assert.ok(Number.isFinite(p.attentionLoss) && p.attentionLoss > 0, `${loss} ${attentionLayer} attention`);
        }
        assert.ok(plain.every((p) => p.attentionLoss === 0));
        // Same weights and batch at the first step: only the attention term can change the gradient.
        assert.notEqual(guided[0]!.gradientNorm, plain[0]!.gradientNorm, `${loss} ${attentionLayer}`);
      }
    }
  });

  it('keeps the event loop ticking while it trains', async () => {
    const model = new AnomalyModel({ channels: 1, imageSize: 64, depth: 3, baseChannels: 8 });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const started = performance.now();
    await model.train(noiseImages(16, 1, 64), { epochs: 6, batchSize: 8 });
    const elapsed = performance.now() - started;
    clearInterval(timer);
    // A blocked loop would tick once at the end; a free one about every 10 ms (allow a busy machine).
    assert.ok(elapsed > 200, `training took only ${elapsed} ms: too short to tell`);
    assert.ok(ticks >= elapsed / 10 / 4, `${ticks} ticks in ${Math.round(elapsed)} ms`);
  });

  it('queues calls on one model in call order, and refuses to save while one runs', async () => {
    const model = new AnomalyModel(tiny);
    const order: string[] = [];
    const training = model.train(data, { epochs: 2, batchSize: 8 }).then(() => order.push('train'));
    const explaining = model.explain(data, { maps: [] }).then((r) => order.push(`explain ${r.length}`));
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.throws(() => model.save(path.join(folder, 'busy.ckpt')), { name: 'Error', message: /busy/ });
    await Promise.all([training, explaining]);
    assert.deepEqual(order, ['train', 'explain 24']);
    // A failed call does not block the queue.
    await assert.rejects(model.explain(data, { layer: 'nope' }), TypeError);
    assert.equal((await model.explain(data, { maps: [] })).length, 24);
  });

  it('rejects with the error of a throwing progress callback and stops', async () => {
    const model = new AnomalyModel(tiny);
    let calls = 0;
    await assert.rejects(
      model.train(data, {
        epochs: 50,
        batchSize: 8,
        onProgress: () => {
          calls++;
          throw new Error('callback broke');
        },
      }),
      /callback broke/,
    );
    assert.equal(calls, 1);
    assert.ok(model.trainState!.epochsCompleted < 50);
  });
});

describe('cancellation', () => {
  it('stops within about one step, writes a checkpoint, and resuming it matches an uninterrupted run', async () => {
    const config: ModelConfig = { channels: 1, imageSize: 64, depth: 3, baseChannels: 8, seed: 2 };
    const images = textures(32, 64, 4);
    const options: TrainOptions = { epochs: 2, batchSize: 8, seed: 3 };
    const checkpoint = path.join(folder, 'cancel.ckpt');

    const model = new AnomalyModel(config);
    const controller = new AbortController();
    const stepTimes: number[] = [];
    let abortedAt = 0;
    const result = await model.train(images, {
      ...options,
      checkpointPath: checkpoint,
      signal: controller.signal,
      onProgress: (p) => {
        stepTimes.push(performance.now());
        if (p.epoch === 1 && p.step === 2) {
          abortedAt = performance.now();
          controller.abort();
        }
      },
    });
    const returnedAfter = performance.now() - abortedAt;
    assert.equal(result.cancelled, true);
    assert.ok(result.steps < 8, `ran ${result.steps} of 8 steps`);
    const stepMs = (stepTimes.at(-1)! - stepTimes[0]!) / Math.max(1, stepTimes.length - 1);
    // One step in flight plus the checkpoint write; generous for a loaded machine.
    assert.ok(returnedAfter < 2 * stepMs + 500, `returned ${returnedAfter} ms after abort, steps take ${stepMs} ms`);

    const resumed = AnomalyModel.load(checkpoint);
    assert.equal(resumed.trainState!.epochsCompleted, 0);
    assert.equal(resumed.trainState!.stepInEpoch, result.steps);
    await resumed.train(images, { ...options, resume: true });

    const uninterrupted = new AnomalyModel(config);
    await uninterrupted.train(images, options);
    const probe = textures(2, 64, 77);
    const [a, b] = await Promise.all([
      resumed.explain(probe, { maps: [] }),
      uninterrupted.explain(probe, { maps: [] }),
    ]);
    assert.deepEqual(
      a.map((r) => r.reconstruction),
      b.map((r) => r.reconstruction),
    );
  });

  it('returns at once when the signal is already aborted', async () => {
    const model = new AnomalyModel(tiny);
    const result = await model.train(data, { epochs: 5, batchSize: 8, signal: AbortSignal.abort() });
    assert.equal(result.cancelled, true);
    assert.equal(result.steps, 0);
  });
});

describe('garbage collection', () => {
  it('cannot free a model while it trains, even with no JS reference left to it', () => {
    // The native class directly, in a child process with gc exposed: only the worker's own reference keeps the
    // model alive while gc runs between steps.
    const script = `
      const { loadAddon } = require(${JSON.stringify(path.resolve(__dirname, '..', 'lib', 'addon.ts'))});
      const { NativeModel } = loadAddon();
      const data = new Uint8Array(16 * 32 * 32).map((_, i) => (i * 37) % 256);
      let steps = 0;
      const training = new NativeModel({ channels: 1, imageSize: 32, depth: 3, baseChannels: 4 }).train(
        { data, shape: [16, 1, 32, 32] }, { epochs: 4, batchSize: 4 }, () => { steps++; global.gc(); });
      const timer = setInterval(() => global.gc(), 1);
      training.then((result) => { clearInterval(timer); console.log(JSON.stringify({ steps, result })); });
    `;
    const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', '-e', script], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const { steps, result } = JSON.parse(run.stdout) as { steps: number; result: { steps: number } };
    assert.equal(steps, 16);
    assert.equal(result.steps, 16);
  });
});

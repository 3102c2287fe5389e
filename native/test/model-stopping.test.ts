// Validation and stopping: the validation loss after every epoch, the plateau rule, the time budget, the best
// epoch's weights handed back, and a checkpoint that says whether the run finished.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';

import { AnomalyModel, type ModelConfig, type TrainOptions, type TrainProgress } from '../lib';
import { textures } from './support';

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'vad-stopping-'));
after(() => fs.rmSync(folder, { recursive: true, force: true }));

const size = 32;
// Without batch norm: its running statistics would move the validation loss even with frozen weights.
const tiny: ModelConfig = { channels: 1, imageSize: size, depth: 3, baseChannels: 4, batchNorm: false, seed: 5 };
const data = textures(16, size, 21);
const validation = textures(6, size, 22);
// A learning rate this small leaves the validation loss where it was: a plateau from the second epoch on.
const frozen: TrainOptions = { epochs: 10, batchSize: 8, seed: 1, learningRate: 1e-12, validation };

async function validationLoss(model: AnomalyModel): Promise<number> {
  const explained = await model.explain(validation, { maps: [] });
  return explained.reduce((sum, r) => sum + r.loss, 0) / explained.length;
}

describe('validation and stopping', () => {
  it('reports the validation loss at the last step of every epoch, as explain measures it', async () => {
    const model = new AnomalyModel(tiny);
    const seen: TrainProgress[] = [];
    const result = await model.train(data, { epochs: 3, batchSize: 8, validation, onProgress: (p) => seen.push(p) });
    assert.equal(result.validationLosses.length, 3);
    assert.deepEqual(
      seen.filter((p) => p.validationLoss !== undefined).map((p) => [p.epoch, p.step, p.validationLoss]),
      result.validationLosses.map((loss, i) => [i + 1, 2, loss]),
    );
    // The model holds its best epoch's weights: explain measures that epoch's validation loss.
    const mean = await validationLoss(model);
    const best = result.validationLosses[result.bestEpoch - 1]!;
    assert.ok(Math.abs(mean - best) < 1e-6 * mean, `${mean} vs ${best}`);
    assert.equal(result.stopReason, 'epochs');
    assert.equal(result.state.finished, true);

    const without = await new AnomalyModel(tiny).train(data, { epochs: 1, batchSize: 8 });
    assert.deepEqual(without.validationLosses, []);
  });

  it('stops on a plateau after `patience` epochs without improvement, and its checkpoint says finished', async () => {
    const checkpoint = path.join(folder, 'plateau.ckpt');
    const result = await new AnomalyModel(tiny).train(data, { ...frozen, patience: 2, checkpointPath: checkpoint });
    // Epoch 1 sets the best; epochs 2 and 3 do not improve on it.
    assert.equal(result.stopReason, 'plateau');
    assert.equal(result.validationLosses.length, 3);
    assert.deepEqual(AnomalyModel.load(checkpoint).trainState, {
      epochsCompleted: 3,
      stepInEpoch: 0,
      seed: 1,
      batchSize: 8,
      finished: true,
    });
  });

  it('resumes with the plateau memory of its checkpoint', async () => {
    const checkpoint = path.join(folder, 'resume.ckpt');
    await new AnomalyModel(tiny).train(data, { ...frozen, epochs: 2, checkpointPath: checkpoint });
    // Two epochs seen: the best and one without improvement. One more epoch reaches a patience of 2.
    const resumed = await AnomalyModel.load(checkpoint).train(data, { ...frozen, patience: 2, resume: true });
    assert.equal(resumed.stopReason, 'plateau');
    assert.equal(resumed.state.epochsCompleted, 3);
  });

  it("hands back the best epoch's weights, in the model and its checkpoint, also after a resume", async () => {
    // A learning rate this large makes the validation loss wander: its lowest is not at the last epoch.
    const wandering: TrainOptions = { epochs: 8, batchSize: 8, seed: 1, learningRate: 0.1, validation };
    const checkpoint = path.join(folder, 'best.ckpt');
    const model = new AnomalyModel(tiny);
    const result = await model.train(data, { ...wandering, checkpointPath: checkpoint });
    const losses = result.validationLosses;
    assert.ok(result.bestEpoch >= 1 && result.bestEpoch < 8, `best epoch ${result.bestEpoch} of ${losses.join(' ')}`);
    const best = losses[result.bestEpoch - 1]!;
    assert.ok(losses.slice(result.bestEpoch).every((loss) => loss > best * (1 - 1e-3)));
    assert.ok(Math.abs((await validationLoss(model)) - best) < 1e-6 * best);
    assert.ok(Math.abs((await validationLoss(AnomalyModel.load(checkpoint))) - best) < 1e-6 * best);

    // Cancelled after epoch 7, past the best: the resumed run ends with the same weights.
    const interrupted = path.join(folder, 'best-resumed.ckpt');
    const controller = new AbortController();
    const first = await new AnomalyModel(tiny).train(data, {
      ...wandering,
      checkpointPath: interrupted,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.epoch === 7 && p.validationLoss !== undefined) controller.abort();
      },
    });
    assert.equal(first.state.epochsCompleted, 7);
    const resumed = AnomalyModel.load(interrupted);
    const rest = await resumed.train(data, { ...wandering, resume: true });
    assert.equal(rest.bestEpoch, result.bestEpoch);
    assert.ok(Math.abs((await validationLoss(resumed)) - best) < 1e-6 * best);
  });

  it('stops at the end of the epoch that passes the time budget', async () => {
    const seen: TrainProgress[] = [];
    const result = await new AnomalyModel(tiny).train(data, {
      ...frozen,
      maxSeconds: 1e-6,
      onProgress: (p) => seen.push(p),
    });
    assert.equal(result.stopReason, 'budget');
    assert.equal(result.state.epochsCompleted, 1);
    assert.equal(result.state.finished, true);
    // The ETA knows the budget ends the run with this epoch.
    assert.equal(seen.at(-1)!.etaSeconds, 0);
  });

  it('says cancelled, and unfinished, when cancelled', async () => {
    const result = await new AnomalyModel(tiny).train(data, { ...frozen, signal: AbortSignal.abort() });
    assert.equal(result.stopReason, 'cancelled');
    assert.equal(result.cancelled, true);
    assert.equal(result.state.finished, false);
  });

  it('rejects patience without validation images, and bad values', async () => {
    const model = new AnomalyModel(tiny);
    await assert.rejects(model.train(data, { epochs: 2, patience: 2 }), { name: 'RangeError', message: /validation/ });
    await assert.rejects(model.train(data, { ...frozen, patience: 0 }), { name: 'RangeError', message: /patience/ });
    await assert.rejects(model.train(data, { ...frozen, maxSeconds: 0 }), {
      name: 'RangeError',
      message: /maxSeconds/,
    });
    const wrongSize = textures(2, 64, 1);
    await assert.rejects(model.train(data, { ...frozen, validation: wrongSize }), RangeError);
  });

  it("measures batch norm's statistics again at each epoch's end, the same for the same weights and seed", async () => {
    const normed: ModelConfig = { ...tiny, batchNorm: true };
    // One batch of all 16 images per epoch, weights frozen: recomputed statistics are the same every epoch.
    const options: TrainOptions = { ...frozen, epochs: 3, batchSize: 16 };
    const recomputed = await new AnomalyModel(normed).train(data, { ...options, recomputeBatchNorm: true });
    const [first, ...rest] = recomputed.validationLosses;
    for (const loss of rest) assert.ok(Math.abs(loss - first!) < 1e-6 * first!, recomputed.validationLosses.join(' '));
    // The running average moves towards each batch's statistics, so the eval-mode model moves too.
    const running = await new AnomalyModel(normed).train(data, options);
    assert.ok(
      Math.abs(running.validationLosses[2]! - running.validationLosses[0]!) > 1e-4 * running.validationLosses[0]!,
    );
    assert.notEqual(recomputed.validationLosses[0], running.validationLosses[0]);
    // With skip noise, drawn in the statistics' pass as in training, from the run's seed.
    const noised: ModelConfig = { ...normed, skipNoiseStd: 1 };
    const once = await new AnomalyModel(noised).train(data, { ...options, recomputeBatchNorm: true });
    const again = await new AnomalyModel(noised).train(data, { ...options, recomputeBatchNorm: true });
    assert.deepEqual(again.validationLosses, once.validationLosses);
    assert.notDeepEqual(once.validationLosses, recomputed.validationLosses);
  });
});

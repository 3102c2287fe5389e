// Patch training through the pipeline: the option is recorded in config.json and the engine trains on patches.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { outputPaths, runTrain } from '../../src';
import type { PipelineConfig, PipelineEvent, TrainRecord } from '../../src';
import { makeTempDir } from '../datasets/fixtures';
import { writeSyntheticMvtec } from './synthetic';

describe('training on patches', () => {
  let tmp: string;
  let remove: () => Promise<void>;
  let data: string;
  before(async () => {
    ({ path: tmp, remove } = await makeTempDir('patches'));
    data = join(tmp, 'widget');
    await writeSyntheticMvtec(data);
  });
  after(() => remove());

  /** A tiny training into its own folder: its config, its training record and its stage messages. */
  async function train(name: string, patchSize?: number) {
    const out = join(tmp, name);
    const events: PipelineEvent[] = [];
    await runTrain(
      { data, out, options: { preset: 'tiny', device: 'cpu', ...(patchSize === undefined ? {} : { patchSize }) } },
      { onProgress: (event) => events.push(event) },
    );
    const paths = outputPaths(out);
    return {
      config: JSON.parse(await readFile(paths.config, 'utf8')) as PipelineConfig,
      record: JSON.parse(await readFile(paths.trainRecord, 'utf8')) as TrainRecord,
      messages: events.flatMap((event) => (event.type === 'stage' ? [event.message] : [])),
    };
  }

  it('records the patch size in config.json and hands it to the engine', async () => {
    const whole = await train('whole');
    const patched = await train('patched', 16);
    assert.equal(whole.config.train.patchSize, 0);
    assert.equal(patched.config.train.patchSize, 16);
    assert.equal(patched.config.model.imageSize, 32, 'the model still explains whole images at its size');
    assert.ok(
      patched.messages.some((message) => message.endsWith('batch 8 of 16 px patches')),
      patched.messages.join('\n'),
    );
    // Same seed, data and model: only the engine's crops can make the losses differ.
    assert.equal(patched.record.epochLosses.length, whole.record.epochLosses.length);
    assert.notDeepEqual(patched.record.epochLosses, whole.record.epochLosses);
    assert.ok(patched.record.epochLosses.every(Number.isFinite));
    // The held-back normal images are scored whole either way.
    assert.equal(patched.record.validationLosses?.length, patched.record.epochsCompleted);
  });
});

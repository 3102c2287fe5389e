import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { decodeGroundTruth, loadPlainFolder, samplesOfSplit } from '../../src';
import { gradient, maskImage, rejectsNamingFile, suiteTempDir, writeImage } from './fixtures';

describe('loadPlainFolder', () => {
  const tmp = suiteTempDir('plain');

  async function writeNormals(root: string, count: number): Promise<void> {
    for (let i = 0; i < count; i++) await writeImage(join(root, `normal/n${i}.png`), gradient(12, 10, 1));
  }

  it('trains on all of normal/ when there is no anomalous/', async () => {
    const root = join(tmp.path, 'only-normal');
    await writeNormals(root, 4);
    const dataset = await loadPlainFolder(root);
    assert.equal(dataset.layout, 'plain-folder');
    assert.equal(dataset.samples.length, 4);
    assert.ok(
      dataset.samples.every(
        (sample) => sample.split === 'train' && sample.label === 'normal' && sample.defectType === 'good',
      ),
    );
    assert.deepEqual(dataset.defectTypes, []);
  });

  it('holds out a seeded share of normal images for testing and pairs masks by base name', async () => {
    const root = join(tmp.path, 'full');
    await writeNormals(root, 10);
    await writeImage(join(root, 'anomalous/a1.jpg'), gradient(12, 10, 1), 'jpeg');
    await writeImage(join(root, 'anomalous/a2.png'), gradient(12, 10, 1));
    await writeImage(join(root, 'anomalous/a3.bmp'), gradient(12, 10, 1), 'bmp');
    await writeImage(
      join(root, 'masks/a1.png'),
      maskImage(12, 10, (x) => x < 2),
    );
    await writeImage(
      join(root, 'masks/a2_mask.png'),
      maskImage(12, 10, (_x, y) => y === 0),
    );

    const dataset = await loadPlainFolder(root);
    const test = samplesOfSplit(dataset, 'test');
    assert.equal(samplesOfSplit(dataset, 'train').length, 8);
    assert.equal(test.filter((sample) => sample.label === 'normal').length, 2, 'the default holds out 20 %');
    assert.deepEqual(dataset.defectTypes, ['anomalous']);

    const byId = new Map(dataset.samples.map((sample) => [sample.id, sample]));
    assert.deepEqual(byId.get('test/anomalous/a1')!.mask, { kind: 'file', path: join(root, 'masks/a1.png') });
    assert.deepEqual(byId.get('test/anomalous/a2')!.mask, { kind: 'file', path: join(root, 'masks/a2_mask.png') });
    assert.equal(byId.get('test/anomalous/a3')!.mask, undefined);
    assert.equal(
      (await decodeGroundTruth(byId.get('test/anomalous/a1')!))!.data.reduce((a, b) => a + b, 0),
      20,
    );
    assert.equal(await decodeGroundTruth(byId.get('test/anomalous/a3')!), null);
    assert.ok(
      dataset.warnings.some((warning) => /no mask for 1 anomalous images \(a3\.bmp\)/.test(warning)),
      dataset.warnings.join('\n'),
    );

    const heldOut = (seed: number, fraction?: number) =>
      loadPlainFolder(root, { seed, ...(fraction === undefined ? {} : { normalTestFraction: fraction }) }).then(
        (loaded) =>
          samplesOfSplit(loaded, 'test')
            .filter((sample) => sample.label === 'normal')
            .map((sample) => sample.id),
      );
    assert.deepEqual(await heldOut(0), await heldOut(0), 'the same seed holds out the same images');
    const picks = new Set<string>();
    for (let seed = 0; seed < 8; seed++) picks.add((await heldOut(seed)).join(','));
    assert.ok(picks.size > 1, 'the seed changes which images are held out');
    assert.equal((await heldOut(0, 0.5)).length, 5);
  });

  it('rejects a missing or empty normal/, a bad fraction and a wrongly sized mask, naming the culprit', async () => {
    const noNormal = join(tmp.path, 'no-normal');
    await writeImage(join(noNormal, 'anomalous/a.png'), gradient(8, 8));
    await assert.rejects(loadPlainFolder(noNormal), /no-normal: missing normal\//);

    const empty = join(tmp.path, 'empty-normal');
    await mkdir(join(empty, 'normal'), { recursive: true });
    await assert.rejects(loadPlainFolder(empty), /empty-normal\/normal: no images in normal\//);

    const root = join(tmp.path, 'bad');
    await writeNormals(root, 2);
    await assert.rejects(loadPlainFolder(root, { normalTestFraction: 1 }), /normalTestFraction must be in \[0, 1\)/);
    await assert.rejects(loadPlainFolder(root, { normalTestFraction: 0.9 }), /leaves no training images out of 2/);

    await writeImage(join(root, 'anomalous/a.png'), gradient(12, 10));
    const mask = join(root, 'masks/a.png');
    await writeImage(
      mask,
      maskImage(10, 12, () => true),
    );
    await rejectsNamingFile(loadPlainFolder(root), mask, /mask is 10 x 12 but its image .* is 12 x 10/);
  });

  it('refuses two masks claiming one image', async () => {
    const root = join(tmp.path, 'two-masks');
    await writeNormals(root, 2);
    await writeImage(join(root, 'anomalous/a.png'), gradient(12, 10));
    await writeImage(
      join(root, 'masks/a.png'),
      maskImage(12, 10, () => true),
    );
    await writeImage(
      join(root, 'masks/a_mask.png'),
      maskImage(12, 10, () => true),
    );
    await assert.rejects(loadPlainFolder(root), /two masks for image "a"/);
  });
});

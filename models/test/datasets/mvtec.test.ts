import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';

import { decodeGroundTruth, loadMvtec, preprocessSamples, samplesOfSplit } from '../../src';
import type { Dataset } from '../../src';
import { gradient, maskImage, rejectsNamingFile, suiteTempDir, writeImage } from './fixtures';

const REPO_ROOT = resolve(__dirname, '../../..');
/** Real datasets nobody on the project made: kept beside the repository, never committed into it. */
const SHARED_DATA = resolve(REPO_ROOT, '../shared/data');

/** The real dataset's folder, or null after marking the test skipped when this machine does not have it. */
function sharedDataset(t: TestContext, name: string): string | null {
  const root = join(SHARED_DATA, name);
  if (existsSync(root)) return root;
  t.skip(`${root} is absent: the real-data checks need the shared data beside the repository (<repo>/../shared/data)`);
  return null;
}

function countBy(dataset: Dataset): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const sample of dataset.samples)
    counts[`${sample.split}/${sample.defectType}`] = (counts[`${sample.split}/${sample.defectType}`] ?? 0) + 1;
  return counts;
}

describe('loadMvtec', () => {
  const tmp = suiteTempDir('mvtec');

  /** An MVTec AD category in every supported format, with sizes varying within the set. */
  async function writeCategory(root: string): Promise<void> {
    await writeImage(join(root, 'train/good/000.png'), gradient(32, 24, 1), 'png');
    await writeImage(join(root, 'train/good/001.jpg'), gradient(40, 30, 1), 'jpeg');
    await writeImage(join(root, 'train/good/002.tif'), gradient(20, 20, 1), 'tiff');
    await writeImage(join(root, 'train/good/003.bmp'), gradient(18, 22, 1), 'bmp');
    await writeImage(join(root, 'test/good/000.png'), gradient(32, 24, 1));
    await writeImage(join(root, 'test/crack/000.png'), gradient(32, 24, 1));
    await writeImage(join(root, 'test/crack/001.bmp'), gradient(16, 16, 1), 'bmp');
    await writeImage(
      join(root, 'ground_truth/crack/000_mask.png'),
      maskImage(32, 24, (x, y) => x > 20 && y < 5),
    );
    await writeImage(
      join(root, 'ground_truth/crack/001_mask.png'),
      maskImage(16, 16, () => false),
    );
    await writeImage(join(root, 'test/hole/000.jpg'), gradient(30, 30, 1), 'jpeg');
    await writeImage(
      join(root, 'ground_truth/hole/000_mask.png'),
      maskImage(30, 30, (x, y) => (x - 15) ** 2 + (y - 15) ** 2 < 20),
    );
    await writeFile(join(root, 'license.txt'), 'fixture');
  }

  it('reads train/good, test/good, test/<defect> and ground_truth/<defect>/<name>_mask in all formats', async () => {
    const root = join(tmp.path, 'widget');
    await writeCategory(root);
    const dataset = await loadMvtec(root);
    assert.equal(dataset.layout, 'mvtec');
    assert.equal(dataset.category, 'widget');
    assert.equal(dataset.root, root);
    assert.deepEqual(countBy(dataset), { 'train/good': 4, 'test/good': 1, 'test/crack': 2, 'test/hole': 1 });
    assert.deepEqual(dataset.defectTypes, ['crack', 'hole']);
    assert.equal(dataset.channels, 1);
    assert.deepEqual(dataset.warnings, []);

    const byId = new Map(dataset.samples.map((sample) => [sample.id, sample]));
    const jpeg = byId.get('train/good/001')!;
    assert.deepEqual([jpeg.width, jpeg.height, jpeg.channels, jpeg.label], [40, 30, 1, 'normal']);
    assert.deepEqual(jpeg.source, { kind: 'file', path: join(root, 'train/good/001.jpg') });
    assert.equal(byId.get('train/good/003')!.width, 18, 'BMP size comes from our header reader');

    const crack = byId.get('test/crack/000')!;
    assert.equal(crack.label, 'anomalous');
    assert.deepEqual(crack.mask, { kind: 'file', path: join(root, 'ground_truth/crack/000_mask.png') });
    const truth = await decodeGroundTruth(crack);
    assert.equal(
      truth!.data.reduce((a, b) => a + b, 0),
      11 * 5,
    );

    const emptyMask = await decodeGroundTruth(byId.get('test/crack/001')!);
    assert.ok(
      emptyMask !== null && emptyMask.data.every((value) => value === 0),
      'an empty mask is valid ground truth',
    );
    assert.equal(byId.get('test/good/000')!.mask, undefined);
  });

  it('reads the BTAD naming: ok/ko folders and masks named like their BMP images', async () => {
    const root = join(tmp.path, 'btad-01');
    await writeImage(join(root, 'train/ok/0000.bmp'), gradient(24, 24, 3), 'bmp');
    await writeImage(join(root, 'train/ok/0001.bmp'), gradient(24, 24, 3), 'bmp');
    await writeImage(join(root, 'test/ok/0000.bmp'), gradient(24, 24, 3), 'bmp');
    await writeImage(join(root, 'test/ko/0000.bmp'), gradient(24, 24, 3), 'bmp');
    await writeImage(
      join(root, 'ground_truth/ko/0000.png'),
      maskImage(24, 24, (x) => x < 3),
    );
    const dataset = await loadMvtec(root);
    assert.deepEqual(countBy(dataset), { 'train/good': 2, 'test/good': 1, 'test/ko': 1 });
    assert.equal(dataset.channels, 3);
    const anomalous = dataset.samples.find((sample) => sample.label === 'anomalous')!;
    assert.equal(anomalous.id, 'test/ko/0000');
    assert.deepEqual(anomalous.mask, { kind: 'file', path: join(root, 'ground_truth/ko/0000.png') });
  });

  it('reads the MVTec 3D-AD RGB layout (rgb/ and gt/ inside each class folder, xyz/ not read)', async () => {
    const root = join(tmp.path, 'bagel');
    await writeImage(join(root, 'train/good/rgb/000.png'), gradient(20, 20, 3));
    await mkdir(join(root, 'train/good/xyz'), { recursive: true });
    await writeFile(join(root, 'train/good/xyz/000.tiff'), 'depth data that must not be read');
    await writeImage(join(root, 'validation/good/rgb/000.png'), gradient(20, 20, 3));
    await writeImage(join(root, 'test/good/rgb/000.png'), gradient(20, 20, 3));
    await writeImage(join(root, 'test/hole/rgb/000.png'), gradient(20, 20, 3));
    await writeImage(
      join(root, 'test/hole/gt/000.png'),
      maskImage(20, 20, (x, y) => x === y),
    );
    const dataset = await loadMvtec(root);
    assert.deepEqual(countBy(dataset), { 'train/good': 1, 'test/good': 1, 'test/hole': 1 });
    const hole = dataset.samples.find((sample) => sample.defectType === 'hole')!;
    assert.deepEqual(hole.mask, { kind: 'file', path: join(root, 'test/hole/gt/000.png') });
    assert.equal(
      (await decodeGroundTruth(hole))!.data.reduce((a, b) => a + b, 0),
      20,
    );
    assert.ok(dataset.warnings.some((warning) => warning.includes('validation/')));
  });

  it('converts mixed gray and colour sets with a warning, and warns about anomalies without masks', async () => {
    const root = join(tmp.path, 'mixed');
    await writeImage(join(root, 'train/good/000.png'), gradient(16, 16, 1));
    await writeImage(join(root, 'train/good/001.png'), gradient(16, 16, 3));
    await writeImage(join(root, 'test/dent/000.png'), gradient(16, 16, 3));
    const dataset = await loadMvtec(root);
    assert.equal(dataset.channels, 3);
    assert.ok(
      dataset.warnings.some((warning) => /mixed channel counts: 1 grayscale and 2 colour/.test(warning)),
      dataset.warnings.join('\n'),
    );
    assert.ok(dataset.warnings.some((warning) => /test\/dent: 1 anomalous images have no mask/.test(warning)));
    const batch = await preprocessSamples(dataset.samples, { width: 8, height: 8, channels: 1 });
    assert.equal(batch.converted, 2);
    assert.equal(batch.images.length, 3 * 8 * 8);
    assert.deepEqual(batch.hasMask, [true, true, false]);
  });

  it('fails with the folder named when train/good is missing or empty', async () => {
    const missing = join(tmp.path, 'no-train');
    await writeImage(join(missing, 'test/good/000.png'), gradient(8, 8));
    await mkdir(join(missing, 'train/bad'), { recursive: true });
    await rejectsNamingFile(loadMvtec(missing), missing, /missing train\/good/);

    const empty = join(tmp.path, 'empty-train');
    await mkdir(join(empty, 'train/good'), { recursive: true });
    await writeFile(join(empty, 'train/good/notes.txt'), 'no images here');
    await assert.rejects(loadMvtec(empty), /train\/good: no images in the normal training folder/);

    await assert.rejects(loadMvtec(join(tmp.path, 'does-not-exist')), /does-not-exist: not a folder/);
  });

  it('fails naming the mask when its size differs from its image', async () => {
    const root = join(tmp.path, 'bad-mask');
    await writeImage(join(root, 'train/good/000.png'), gradient(16, 16));
    await writeImage(join(root, 'test/crack/000.png'), gradient(16, 16));
    const mask = join(root, 'ground_truth/crack/000_mask.png');
    await writeImage(
      mask,
      maskImage(15, 16, () => true),
    );
    await rejectsNamingFile(loadMvtec(root), mask, /mask is 15 x 16 but its image .*test\/crack\/000\.png is 16 x 16/);
  });

  it('fails naming an unreadable image, and a truncated one when it is decoded', async () => {
    const root = join(tmp.path, 'bad-image');
    await writeImage(join(root, 'train/good/000.png'), gradient(16, 16));
    await writeFile(join(root, 'train/good/001.png'), 'not a png');
    await assert.rejects(loadMvtec(root), /train\/good\/001\.png: cannot decode image/);

    await rm(join(root, 'train/good/001.png'));
    await writeImage(join(root, 'train/good/002.jpg'), gradient(64, 64), 'jpeg');
    const jpeg = await readFile(join(root, 'train/good/002.jpg'));
    await writeFile(join(root, 'train/good/002.jpg'), jpeg.subarray(0, Math.floor(jpeg.length / 2)));
    // The header survives the cut, so listing works; decoding the pixels must fail and name the file.
    const dataset = await loadMvtec(root);
    await assert.rejects(
      preprocessSamples(dataset.samples, { width: 8, height: 8, channels: 1 }),
      /train\/good\/002\.jpg: cannot decode image/,
    );
  });

  it('reads the real magnetic-tile set (<repo>/../shared/data/magnetic-tile)', async (t) => {
    const root = sharedDataset(t, 'magnetic-tile');
    if (root === null) return;
    const dataset = await loadMvtec(root);
    assert.deepEqual(countBy(dataset), {
      'train/good': 300,
      'test/good': 100,
      'test/blowhole': 115,
      'test/break': 85,
      'test/crack': 57,
      'test/fray': 32,
      'test/uneven': 103,
    });
    assert.deepEqual(dataset.defectTypes, ['blowhole', 'break', 'crack', 'fray', 'uneven']);
    assert.equal(dataset.channels, 1);
    assert.deepEqual(dataset.warnings, []);
    const anomalous = samplesOfSplit(dataset, 'test').filter((sample) => sample.label === 'anomalous');
    assert.ok(
      anomalous.every((sample) => sample.mask !== undefined),
      'every defect image has a mask',
    );
    const widths = new Set(dataset.samples.map((sample) => sample.width));
    assert.ok(widths.size > 10, 'sizes vary within the set');

    // The four masks that are empty in the source load without error and stay anomalous.
    for (const name of ['050', '053', '066', '067']) {
      const sample = dataset.samples.find((candidate) => candidate.id === `test/uneven/${name}`)!;
      assert.equal(sample.label, 'anomalous');
      const truth = await decodeGroundTruth(sample);
      assert.ok(truth !== null && truth.data.every((value) => value === 0), `uneven/${name} mask is empty`);
    }
    const crack = dataset.samples.find((sample) => sample.id === 'test/crack/000')!;
    const truth = (await decodeGroundTruth(crack))!;
    assert.deepEqual([truth.width, truth.height], [crack.width, crack.height]);
    assert.ok(truth.data.some((value) => value === 1));
  });

  it('reads the real KolektorSDD set (<repo>/../shared/data/kolektorsdd): tall PNGs, <name>_mask masks', async (t) => {
    const root = sharedDataset(t, 'kolektorsdd');
    if (root === null) return;
    const dataset = await loadMvtec(root);
    assert.deepEqual(countBy(dataset), { 'train/good': 278, 'test/good': 70, 'test/defect': 52 });
    assert.equal(dataset.channels, 1);
    assert.deepEqual(dataset.warnings, []);
    assert.ok(dataset.samples.every((sample) => sample.width === 250 && sample.height >= 618 && sample.height <= 642));
    const anomalous = dataset.samples.filter((sample) => sample.label === 'anomalous');
    assert.ok(anomalous.every((sample) => sample.mask !== undefined));
    const truth = (await decodeGroundTruth(anomalous[0]!))!;
    const defective = truth.data.reduce((sum, value) => sum + value, 0);
    assert.ok(defective >= 196 && defective <= 1662, `${anomalous[0]!.id}: ${defective} defective pixels`);
  });
});

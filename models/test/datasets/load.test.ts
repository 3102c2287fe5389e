import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { detectLayout, loadDataset } from '../../src';
import { gradient, makeTempDir, writeImage } from './fixtures';

describe('detectLayout and loadDataset', () => {
  let tmp: string;
  let remove: () => Promise<void>;
  before(async () => {
    ({ path: tmp, remove } = await makeTempDir('load'));
  });
  after(() => remove());

  it('recognises the MVTec and plain layouts and loads each with its reader', async () => {
    const mvtec = join(tmp, 'cable');
    await writeImage(join(mvtec, 'train/good/0.png'), gradient(8, 8));
    await writeImage(join(mvtec, 'test/good/0.png'), gradient(8, 8));
    const plain = join(tmp, 'parts');
    await writeImage(join(plain, 'normal/0.png'), gradient(8, 8));
    await writeImage(join(plain, 'normal/1.png'), gradient(8, 8));
    await writeImage(join(plain, 'anomalous/0.png'), gradient(8, 8));

    assert.equal(await detectLayout(mvtec), 'mvtec');
    assert.equal(await detectLayout(plain), 'plain-folder');
    assert.equal((await loadDataset(mvtec)).layout, 'mvtec');
    const loaded = await loadDataset(plain, { normalTestFraction: 0.5 });
    assert.equal(loaded.layout, 'plain-folder');
    assert.equal(
      loaded.samples.filter((sample) => sample.split === 'train').length,
      1,
      'options reach the plain reader',
    );
  });

  it('explains what is wrong with a folder it cannot load', async () => {
    const empty = join(tmp, 'empty');
    await mkdir(empty);
    await assert.rejects(loadDataset(empty), /empty: empty folder/);
    await assert.rejects(loadDataset(join(tmp, 'absent')), /absent: not a folder/);

    const collection = join(tmp, 'mvtec_ad');
    await writeImage(join(collection, 'bottle/train/good/0.png'), gradient(8, 8));
    await writeImage(join(collection, 'screw/train/good/0.png'), gradient(8, 8));
    await assert.rejects(loadDataset(collection), /holds 2 MVTec-style categories \(bottle, screw\): load one of them/);

    const loose = join(tmp, 'loose');
    await writeImage(join(loose, 'a.png'), gradient(8, 8));
    await assert.rejects(loadDataset(loose), /loose: unrecognised layout/);
  });
});

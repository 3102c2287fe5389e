// Which Grad-CAM sign localizes best on real defects? Magnetic tiles resized to SIZE px (default 64), a 3-level
// U-Net (base 16) trained EPOCHS epochs (default 30) with skips (SKIPS=0: without), pooled pixel AUROC at the
// model's size for every layer x target x sign. The tiles are read from the folder DATA (default: the magnetic-tile
// set where models/README.md says the project keeps it). Run from the repository root:
//   node --import tsx native/scripts/measure-cam-sign.ts
import fs from 'node:fs';
import path from 'node:path';
// sharp is the models workspace's image decoder (hoisted to the root node_modules); native does not depend on it.
import sharp from 'sharp';
import { AnomalyModel, type CamSign, type MapKind, type ImageArray } from '../lib';
import { auroc } from '../test/support';

const root = path.resolve(process.env.DATA ?? path.join(__dirname, '../../../shared/data/magnetic-tile'));
const size = Number(process.env.SIZE ?? 64);
const epochs = Number(process.env.EPOCHS ?? 30);
const skips = process.env.SKIPS !== '0';

async function load(file: string, kernel: 'lanczos3' | 'nearest' = 'lanczos3'): Promise<Buffer> {
  return sharp(file).greyscale().resize(size, size, { fit: 'fill', kernel }).raw().toBuffer();
}

async function stack(files: string[]): Promise<ImageArray> {
  const data = new Uint8Array(files.length * size * size);
  for (let i = 0; i < files.length; i++) data.set(await load(files[i]!), i * size * size);
  return { data, shape: [files.length, 1, size, size] };
}

async function main(): Promise<void> {
  const trainFiles = fs.readdirSync(path.join(root, 'train/good')).map((f) => path.join(root, 'train/good', f));
  const testFiles: string[] = [];
  const masks: Uint8Array[] = [];
  for (const kind of fs.readdirSync(path.join(root, 'test'))) {
    for (const f of fs.readdirSync(path.join(root, 'test', kind)).sort()) {
      testFiles.push(path.join(root, 'test', kind, f));
      if (kind === 'good') masks.push(new Uint8Array(size * size));
      else {
        const m = await load(path.join(root, 'ground_truth', kind, f.replace('.jpg', '_mask.png')), 'nearest');
        masks.push(Uint8Array.from(m, (v) => (v > 127 ? 1 : 0)));
      }
    }
  }
  const labels = new Uint8Array(masks.length * size * size);
  masks.forEach((m, i) => labels.set(m, i * size * size));
  const train = await stack(trainFiles);
  const test = await stack(testFiles);
  const model = new AnomalyModel({ channels: 1, imageSize: size, depth: 3, baseChannels: 16, skips, seed: 1 });
  const t0 = Date.now();
  const r = await model.train(train, { epochs, batchSize: 16 });
  console.log(
    `size ${size} skips ${skips}: trained ${epochs} epochs in ${((Date.now() - t0) / 1000).toFixed(0)} s, loss ${r.epochLosses.at(-1)}`,
  );
  const pooled = (results: Awaited<ReturnType<AnomalyModel['explain']>>, kind: MapKind): Float32Array => {
    const all = new Float32Array(results.length * size * size);
    results.forEach((x, i) => all.set(x.maps[kind]!, i * size * size));
    return all;
  };
  const base = await model.explain(test, { maps: ['residual', 'ssim'] });
  console.log(
    `residual ${auroc(pooled(base, 'residual'), labels).toFixed(3)}  ssim ${auroc(pooled(base, 'ssim'), labels).toFixed(3)}`,
  );
  const kinds: MapKind[] = ['gradcam_loss', 'gradcam_latent', 'gradcam_residual'];
  for (const layer of model.layers) {
    const row: string[] = [];
    for (const sign of ['relu', 'neg_relu', 'abs'] as CamSign[]) {
      const res = await model.explain(test, { maps: kinds, layer, sign });
      row.push(
        kinds.map((k) => `${k.replace('gradcam_', '')}/${sign}=${auroc(pooled(res, k), labels).toFixed(3)}`).join(' '),
      );
    }
    console.log(layer.padEnd(10), row.join(' | '));
  }
}
main();

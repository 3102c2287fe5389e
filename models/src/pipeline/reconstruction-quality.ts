import type { AnomalyModel } from '@vad/native';

import { preprocessSamples } from '../datasets';
import type { DatasetSample } from '../datasets';
import type { PipelineConfig } from './config';

/** How well the model reconstructs normal images it never trained on: whether it learned before any map is read. */
export interface ReconstructionQuality {
  images: number;
  /** Mean over the images of 10 log10(1 / MSE) on [0, 1] pixels. */
  psnr: number;
  /** Mean structural similarity (the engine's 11 x 11 Gaussian-window SSIM, averaged over the image). */
  ssim: number;
  /** Mean of the training loss on them. */
  loss: number;
}

/** Reconstructs the held-back normal images and measures them against their originals. */
export async function measureReconstruction(
  model: AnomalyModel,
  samples: readonly DatasetSample[],
  config: PipelineConfig,
): Promise<ReconstructionQuality | null> {
  if (samples.length === 0) return null;
  const { imageSize: size, channels } = config.model;
  const batch = await preprocessSamples([...samples], { width: size, height: size, channels, masks: false });
  const results = await model.explain(
    { data: batch.images, shape: [batch.count, channels, size, size] },
    { maps: ['ssim'], score: 'loss', batchSize: config.explain.batchSize, device: config.device },
  );
  const values = channels * size * size;
  let psnr = 0;
  let ssim = 0;
  let loss = 0;
  results.forEach((result, i) => {
    let squared = 0;
    for (let k = 0; k < values; k++) {
      const difference = batch.images[i * values + k]! / 255 - result.reconstruction[k]!;
      squared += difference * difference;
    }
    // A perfect copy has no finite PSNR; 100 dB stands for it so that means stay finite.
    psnr += squared === 0 ? 100 : 10 * Math.log10(values / squared);
    const dissimilarity = result.maps.ssim!;
    ssim += 1 - dissimilarity.reduce((sum, value) => sum + value, 0) / dissimilarity.length;
    loss += result.loss;
  });
  const count = results.length;
  return { images: count, psnr: psnr / count, ssim: ssim / count, loss: loss / count };
}

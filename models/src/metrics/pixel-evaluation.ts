import { evaluatePixels } from '@vad/native';
import type { AuproOptions, GroundTruthMask, PixelEvaluation, ScoreMap } from '@vad/native';

/**
 * Pixel AUROC, AUPRO@0.3, F1-max and best IoU over the pooled pixels of the images, or null when their masks
 * mark no defective pixel (or only defective ones): e.g. a defect type whose every mask is empty.
 */
export async function evaluatePixelsOrNull(
  maps: readonly ScoreMap[],
  masks: readonly GroundTruthMask[],
  options: AuproOptions = {},
): Promise<PixelEvaluation | null> {
  let positive = 0;
  let total = 0;
  for (const mask of masks) {
    total += mask.data.length;
    for (const value of mask.data) if (value !== 0) positive++;
  }
  if (positive === 0 || positive === total) return null;
  return evaluatePixels(maps, masks, options);
}

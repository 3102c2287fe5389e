import { imageAuroc } from '@vad/native';
import type { AurocResult } from '@vad/native';

/**
 * Image AUROC and ROC curve, or null when the images are all of one class (the metric is undefined then:
 * a dataset without anomalous test images, or a subset without normal ones).
 */
export async function imageAurocOrNull(scores: Float32Array, labels: Uint8Array): Promise<AurocResult | null> {
  let anomalous = 0;
  for (const label of labels) anomalous += label;
  if (anomalous === 0 || anomalous === labels.length) return null;
  return imageAuroc(scores, labels);
}

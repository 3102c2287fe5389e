import { f1Max, imageAuroc } from '@vad/native';
import type { AurocResult, F1MaxResult } from '@vad/native';

/**
 * Image AUROC and ROC curve, or null when the images are all of one class (the metric is undefined then:
 * a dataset without anomalous test images, or a subset without normal ones).
 */
export async function imageAurocOrNull(scores: Float32Array, labels: Uint8Array): Promise<AurocResult | null> {
  return bothClasses(labels) ? imageAuroc(scores, labels) : null;
}

/**
 * Image-level F1-max and the score threshold that reaches it (the run's default decision threshold), or null
 * when the images are all of one class.
 */
export async function imageF1MaxOrNull(scores: Float32Array, labels: Uint8Array): Promise<F1MaxResult | null> {
  return bothClasses(labels) ? f1Max(scores, labels) : null;
}

function bothClasses(labels: Uint8Array): boolean {
  let anomalous = 0;
  for (const label of labels) anomalous += label;
  return anomalous > 0 && anomalous < labels.length;
}

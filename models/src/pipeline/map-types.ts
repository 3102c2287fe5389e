import type { MapKind } from '@vad/native';

import type { AttentionTarget } from '../presets';
import type { PipelineConfig } from './config';

/** A map the pipeline evaluates: the name in the report and the engine map that makes it. */
export interface MapTypeSpec {
  /** `attention` (the first attention target), `attention-<target>` (the others), `residual`, `ssim`. */
  name: string;
  kind: MapKind;
  description: string;
}

/** The engine map behind each Grad-CAM target. */
export const GRAD_CAM_KIND: Readonly<Record<AttentionTarget, MapKind>> = {
  loss: 'gradcam_loss',
  latent: 'gradcam_latent',
  residual: 'gradcam_residual',
};

const TARGET_DESCRIPTION: Readonly<Record<AttentionTarget, string>> = {
  loss: 'Grad-CAM of the reconstruction loss',
  latent: 'Grad-CAM of the latent code (sum of the bottleneck)',
  residual: 'Grad-CAM of the residual x - x_hat re-encoded (the seed code variant)',
};

/** The maps of a run, the attention maps first (the report orders its tables this way). */
export function mapTypesOf(explain: PipelineConfig['explain']): MapTypeSpec[] {
  const smoothing = explain.smoothing ?? 0;
  const smoothed = smoothing > 0 ? `, smoothed (Gaussian, sigma ${+(smoothing * 100).toFixed(2)} % of the side)` : '';
  const attention = explain.attentionTargets.map((target, i) => ({
    name: i === 0 ? 'attention' : `attention-${target}`,
    kind: GRAD_CAM_KIND[target],
    description: `${TARGET_DESCRIPTION[target]} at ${explain.layer}, ${explain.sign}${smoothed}`,
  }));
  return [
    ...attention,
    {
      name: 'residual',
      kind: 'residual',
      description: `absolute residual |x - x_hat|, mean over channels${smoothed}`,
    },
    { name: 'ssim', kind: 'ssim', description: `1 - local SSIM(x, x_hat) (11 x 11 Gaussian window)${smoothed}` },
  ];
}

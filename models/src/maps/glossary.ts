import type { CamSign, MapKind } from '@vad/native';

import type { AttentionTarget } from '../options';

/**
 * The words for maps, in one place. A run's maps are named `attention` (the Grad-CAM of the first target),
 * `attention-<target>` (of the others), `residual` (|x - x_hat|) and `ssim` (1 - local SSIM). A target is what a
 * Grad-CAM is taken of: `loss` (the reconstruction loss), `latent` (the bottleneck's sum) or `reencoded` (the
 * residual x - x_hat encoded again by the U-Net, not the residual map). "Attention" alone means the map; the
 * training-time term is "the attention term", with its own layer and sign options.
 */
export interface MapTypeSpec {
  /** The name in reports, results and the API. */
  name: string;
  /** The engine map that makes it. */
  kind: MapKind;
  description: string;
}

/** The settings that decide which maps are made and how (a run config's `explain` section). */
export interface MapSettings {
  layer: string;
  sign: CamSign;
  attentionTargets: readonly AttentionTarget[];
  /** Sigma as a fraction of the model's image side; 0 or absent = none. */
  smoothing?: number;
}

/** The engine map behind each Grad-CAM target. */
export const GRAD_CAM_KIND: Readonly<Record<AttentionTarget, MapKind>> = {
  loss: 'gradcam_loss',
  latent: 'gradcam_latent',
  reencoded: 'gradcam_residual',
};

const TARGET_DESCRIPTION: Readonly<Record<AttentionTarget, string>> = {
  loss: 'Grad-CAM of the reconstruction loss',
  latent: 'Grad-CAM of the latent code (sum of the bottleneck)',
  reencoded: 'Grad-CAM of the residual x - x_hat encoded again',
};

/** The maps of a run, the attention maps first (the report orders its tables this way). */
export function mapTypesOf(settings: MapSettings): MapTypeSpec[] {
  const smoothing = settings.smoothing ?? 0;
  const smoothed = smoothing > 0 ? `, smoothed (Gaussian, sigma ${+(smoothing * 100).toFixed(2)} % of the side)` : '';
  const attention = settings.attentionTargets.map((target, i) => ({
    name: i === 0 ? 'attention' : `attention-${target}`,
    kind: GRAD_CAM_KIND[target],
    description: `${TARGET_DESCRIPTION[target]} at ${settings.layer}, ${settings.sign}${smoothed}`,
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

import type { CamSign, MapKind } from '@vad/native';

import type { AttentionTarget, MapWeighting } from '../options';

/**
 * The words for maps, in one place. A run's maps are named `attention` (the gradient map of the first target),
 * `attention-<target>` (of the others), `residual` (|x - x_hat|), `ssim` (1 - local SSIM), `msgms` (1 - the
 * multi-scale gradient magnitude similarity, as RIAD) and, for a model with a segmentation head, `segmentation`
 * (the head's probability per pixel: a reference trained on the synthetic masks, not an explanation). A target is what a gradient map is taken of: `loss` (the
 * reconstruction loss), `latent` (the bottleneck's sum) or `reencoded` (the residual x - x_hat encoded again by the
 * U-Net, not the residual map). Its weighting is Grad-CAM's (`channel`: each channel weighted by its mean
 * gradient) or LayerCAM's (`element`: each activation by its own gradient). "Attention" alone means the map; the
 * training-time term is "the attention term", and "supervision" trains the map itself on synthetic defects.
 */
export interface MapTypeSpec {
  /** The name in reports, results and the API. */
  name: MapTypeName;
  /** The engine map that makes it. */
  kind: MapKind;
  description: string;
}

/**
 * Every name a map can have: a map type the pipeline makes is typed as one, so that a new one cannot reach reports,
 * results and the API's MapType enum without being listed and described here.
 */
export type MapTypeName = 'attention' | `attention-${AttentionTarget}` | 'residual' | 'ssim' | 'msgms' | 'segmentation';

/** What each map type is, whatever a run's settings (mapTypesOf says how one run made it). */
export const MAP_TYPE_DESCRIPTIONS: Readonly<Record<MapTypeName, string>> = {
  attention: "The attention map: the Grad-CAM (or LayerCAM) of the run's first map target, the run's main map.",
  'attention-loss': 'The attention map of the reconstruction loss, when that is not the first map target.',
  'attention-latent':
    'The attention map of the latent code (sum of the bottleneck), when that is not the first target.',
  'attention-reencoded':
    'The attention map of the residual x - x_hat encoded again by the U-Net, when that is not the first target.',
  residual: 'The absolute residual |x - x_hat|, mean over channels.',
  ssim: '1 - local SSIM(x, x_hat) (11 x 11 Gaussian window).',
  msgms: '1 - the multi-scale gradient magnitude similarity of x and x_hat (as RIAD).',
  segmentation:
    "The segmentation head's probability per pixel (runs with segmentationHead): a reference, not an explanation.",
};

/** Every map type name, the attention maps first, in the order mapTypesOf makes them. */
export const MAP_TYPE_NAMES = Object.keys(MAP_TYPE_DESCRIPTIONS) as MapTypeName[];

/** The settings that decide which maps are made and how (a run config's `explain` section). */
export interface MapSettings {
  layer: string;
  sign: CamSign;
  /** Absent in runs made before LayerCAM: channel. */
  weighting?: MapWeighting;
  attentionTargets: readonly AttentionTarget[];
  /** Sigma as a fraction of the model's image side; 0 or absent = none. */
  smoothing?: number;
}

/** The engine map behind each target, per weighting. */
export const ATTENTION_KIND: Readonly<Record<MapWeighting, Readonly<Record<AttentionTarget, MapKind>>>> = {
  channel: { loss: 'gradcam_loss', latent: 'gradcam_latent', reencoded: 'gradcam_residual' },
  element: { loss: 'layercam_loss', latent: 'layercam_latent', reencoded: 'layercam_residual' },
};

const WEIGHTING_NAME: Readonly<Record<MapWeighting, string>> = { channel: 'Grad-CAM', element: 'LayerCAM' };

const TARGET_DESCRIPTION: Readonly<Record<AttentionTarget, string>> = {
  loss: 'the reconstruction loss',
  latent: 'the latent code (sum of the bottleneck)',
  reencoded: 'the residual x - x_hat encoded again',
};

/** What of the model decides its maps: a config without the field (runs made before the head) has none. */
export interface MapModel {
  segmentationHead?: boolean;
}

/** The maps of a run, the attention maps first (the report orders its tables this way), the reference last. */
export function mapTypesOf(settings: MapSettings, model: MapModel = {}): MapTypeSpec[] {
  const smoothing = settings.smoothing ?? 0;
  const smoothed = smoothing > 0 ? `, smoothed (Gaussian, sigma ${+(smoothing * 100).toFixed(2)} % of the side)` : '';
  const weighting = settings.weighting ?? 'channel';
  const attention = settings.attentionTargets.map((target, i) => ({
    name: i === 0 ? ('attention' as const) : (`attention-${target}` as const),
    kind: ATTENTION_KIND[weighting][target],
    description:
      `${WEIGHTING_NAME[weighting]} of ${TARGET_DESCRIPTION[target]} at ${settings.layer}, ` +
      `${settings.sign}${smoothed}`,
  }));
  return [
    ...attention,
    {
      name: 'residual',
      kind: 'residual',
      description: `absolute residual |x - x_hat|, mean over channels${smoothed}`,
    },
    { name: 'ssim', kind: 'ssim', description: `1 - local SSIM(x, x_hat) (11 x 11 Gaussian window)${smoothed}` },
    {
      name: 'msgms',
      kind: 'msgms',
      description: `1 - multi-scale gradient magnitude similarity of x and x_hat (as RIAD)${smoothed}`,
    },
    ...(model.segmentationHead === true
      ? [
          {
            name: 'segmentation' as const,
            kind: 'segmentation' as const,
            description:
              "reference, not an explanation: a small segmentation network's probability per pixel, trained on the " +
              `synthetic defects' masks from x and x_hat (DRAEM's second network)${smoothed}`,
          },
        ]
      : []),
  ];
}

import type { AnomalyModel, MapKind } from '@vad/native';

import type { SampleBatch } from '../datasets';
import { gaussianSmooth } from '../maps/smooth';
import type { PipelineConfig } from '../pipeline/config';
import { ATTENTION_KIND } from '../maps/glossary';
import type { Configuration, ExplainVariant, Grid } from './grid';
import { combineMaps, globalStats, normalizeMap, pixelStats } from './transforms';

/** The configurations whose maps come out of one engine pass (one Grad-CAM layer and sign). */
export interface ExplainPass {
  variant: ExplainVariant;
  configurations: Configuration[];
}

/** The maps of one kind from one engine pass: the test images', then the held-back normal images'. */
export type RawMaps = (kind: MapKind) => { test: Float32Array[]; held: Float32Array[] };

/** Groups configurations by the engine pass that makes their maps, so each layer and sign is explained once. */
export function explainPasses(configurations: readonly Configuration[], grid: Grid): ExplainPass[] {
  const passes = new Map<string, ExplainPass>();
  for (const configuration of configurations) {
    // Residual and SSIM come out of any engine pass: they join the first explain variant's.
    const variant = configuration.explain ?? grid.explains[0]!;
    const key = `${variant.layer} ${variant.sign} ${variant.weighting}`;
    if (!passes.has(key)) passes.set(key, { variant, configurations: [] });
    passes.get(key)!.configurations.push(configuration);
  }
  return [...passes.values()];
}

/**
 * One engine pass over `images` (the test images first, `testCount` of them, then the held-back normal ones):
 * every attention target of the grid, the residual and SSIM, at the pass's layer and sign.
 */
export async function runExplainPass(
  model: AnomalyModel,
  images: SampleBatch,
  testCount: number,
  pass: ExplainPass,
  grid: Grid,
  config: PipelineConfig,
): Promise<RawMaps> {
  const size = config.model.imageSize;
  const attention = ATTENTION_KIND[pass.variant.weighting];
  const kinds: MapKind[] = [...grid.targets.map((target) => attention[target]), 'residual', 'ssim', 'msgms'];
  const results = await model.explain(
    { data: images.images, shape: [images.count, config.model.channels, size, size] },
    {
      maps: kinds,
      layer: pass.variant.layer,
      sign: pass.variant.sign,
      batchSize: config.explain.batchSize,
      device: config.device,
    },
  );
  return (kind) => ({
    test: results.slice(0, testCount).map((result) => result.maps[kind]!),
    held: results.slice(testCount).map((result) => result.maps[kind]!),
  });
}

function attentionKind(configuration: Configuration): MapKind {
  return ATTENTION_KIND[configuration.explain?.weighting ?? 'channel'][configuration.target!];
}

/**
 * The configuration's map of every test image: smoothed, then normalised by the statistics of the same map on
 * the held-back normal images (per pixel, or pooled for a combination without per-pixel normalisation).
 */
export function transformedMaps(configuration: Configuration, raw: RawMaps, size: number): Float32Array[] {
  const { normalize, sigma } = configuration.transform;
  const prepared = (kind: MapKind, standardise: boolean): Float32Array[] => {
    const maps = raw(kind);
    const smooth = (map: Float32Array): Float32Array => gaussianSmooth(map, size, size, sigma);
    const test = maps.test.map(smooth);
    if (!normalize && !standardise) return test;
    const held = maps.held.map(smooth);
    const stats = normalize ? pixelStats(held) : globalStats(held);
    return test.map((map) => normalizeMap(map, stats));
  };
  if (configuration.combine !== null) {
    const attention = prepared(attentionKind(configuration), true);
    const residual = prepared('residual', true);
    return attention.map((map, i) => combineMaps(map, residual[i]!, configuration.combine!));
  }
  const kind: MapKind = configuration.target === null ? (configuration.map as MapKind) : attentionKind(configuration);
  return prepared(kind, false);
}

import type { RunOptions } from './run-options';

/**
 * Options saved before the training-time attention settings and the explain-time map settings were named apart
 * (runs queued by the API keep their options as JSON): one `layer` and one `attentionSign` set both, `size` was
 * the image size, and the re-encoded residual target was called `residual`.
 */
export function upgradeSavedOptions(saved: Readonly<Record<string, unknown>>): RunOptions {
  const { layer, size, attentionTargets, ...rest } = saved;
  const options: Record<string, unknown> = { ...rest };
  if (layer !== undefined) {
    options.attentionLayer ??= layer;
    options.mapLayer ??= layer;
  }
  if (saved.attentionSign !== undefined && layer !== undefined) options.mapSign ??= saved.attentionSign;
  if (size !== undefined) options.imageSize ??= size;
  if (Array.isArray(attentionTargets)) options.mapTargets ??= attentionTargets.map(upgradeTarget);
  return options as RunOptions;
}

/** A map target as written before `residual` (the re-encoded residual) became `reencoded`. */
export function upgradeTarget(target: unknown): unknown {
  return target === 'residual' ? 'reencoded' : target;
}

import type { ValueRange } from './render';

/** One of a result's stored maps: Result.mapKeys holds them in the pipeline's order. */
// A type, not an interface, so that a list of them is a Prisma JSON value as it is.
export type StoredMap = {
  mapType: string;
  /** File-store key of the float32 score map (score-map.ts). */
  key: string;
};

/** A Result.mapKeys value as written by jobs/results.ts (anything else reads as no maps). */
export function storedMaps(mapKeys: unknown): StoredMap[] {
  return Array.isArray(mapKeys) ? (mapKeys as StoredMap[]) : [];
}

export function storedMapKey(mapKeys: unknown, mapType: string): string | null {
  return storedMaps(mapKeys).find((map) => map.mapType === mapType)?.key ?? null;
}

/** Every stored file a result names, for garbage collection. */
export function resultFileKeys(result: { mapKeys: unknown; reconstructionKey: string | null }): string[] {
  const keys = storedMaps(result.mapKeys).map((map) => map.key);
  return result.reconstructionKey ? [...keys, result.reconstructionKey] : keys;
}

/** A map type's range from Run.mapRanges, or null when the run has none for it. */
export function runRangeOf(mapRanges: unknown, mapType: string): ValueRange | null {
  const range = (mapRanges as Record<string, ValueRange> | null)?.[mapType];
  return Array.isArray(range) && range.length === 2 ? range : null;
}

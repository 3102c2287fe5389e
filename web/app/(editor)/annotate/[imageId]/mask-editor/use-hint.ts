import { useEffect, useState } from 'react';

import { loadColourTable, loadLevels } from '@/lib/browser-images';
import type { Hint } from '@/lib/domain/masks';
import { colourise, resizeLevels } from '@/lib/maps';
import type { StageRef } from './use-stage';

/** Where the attention hint is: none for this image, on its way, on the stage (with its levels), or failed. */
export type HintState =
  | { status: 'none' }
  | { status: 'loading'; hint: Hint }
  | { status: 'shown'; hint: Hint; levels: Uint8Array }
  | { status: 'failed'; hint: Hint; message: string };

/**
 * Puts the attention map of this image (from the run the editor was opened from, or the dataset's latest
 * succeeded run) on the stage as the hint layer, at the image's size, coloured in the hint's colour map
 * (`legendUrl`). Its levels stay here for "Start from hint".
 */
export function useHint(
  stage: StageRef,
  ready: boolean,
  hint: Hint | null,
  legendUrl: string | null,
  width: number,
  height: number,
): HintState {
  // By value: the hint is made afresh on each render.
  const levelsUrl = hint?.levelsUrl ?? null;
  const runName = hint?.runName ?? null;
  const [loaded, setLoaded] = useState<{ key: string; state: HintState } | null>(null);
  const key = `${levelsUrl}|${legendUrl}|${width}x${height}`;

  useEffect(() => {
    if (!levelsUrl || !legendUrl || !ready) return;
    let cancelled = false;
    const hint = { levelsUrl, runName };
    Promise.all([loadLevels(levelsUrl), loadColourTable(legendUrl)]).then(
      ([map, colours]) => {
        if (cancelled) return;
        const levels = resizeLevels(map.levels, map.width, map.height, width, height);
        const layer = new ImageData(width, height);
        colourise(levels, colours, layer.data);
        stage.current?.setHint(layer);
        setLoaded({ key, state: { status: 'shown', hint, levels } });
      },
      // Without its hint the editor still works: the panel says why there is none.
      (error: unknown) => {
        if (cancelled) return;
        const message = error instanceof Error ? error.message : String(error);
        setLoaded({ key, state: { status: 'failed', hint, message } });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [stage, key, levelsUrl, runName, legendUrl, width, height, ready]);

  if (!levelsUrl || !legendUrl) return { status: 'none' };
  if (loaded?.key === key) return loaded.state;
  return { status: 'loading', hint: { levelsUrl, runName } };
}

import { useEffect, useState } from 'react';

import { loadColourTable, loadLevels } from '@/lib/browser-images';
import type { Hint } from '@/lib/domain/masks';
import { colourise, resizeLevels } from '@/lib/maps';
import type { StageRef } from './use-stage';

/**
 * Puts the run's attention map for this image (null when the editor was not opened from a run) on the stage as
 * the hint layer, coloured at the image's size; true once it is there.
 */
export function useHint(stage: StageRef, ready: boolean, hint: Hint | null, width: number, height: number) {
  const [available, setAvailable] = useState(false);
  const levelsUrl = hint?.levelsUrl;
  const legendUrl = hint?.legendUrl;
  useEffect(() => {
    if (!levelsUrl || !legendUrl || !ready) return;
    let cancelled = false;
    Promise.all([loadLevels(levelsUrl), loadColourTable(legendUrl)]).then(
      ([map, colours]) => {
        if (cancelled) return;
        const layer = new ImageData(width, height);
        colourise(resizeLevels(map.levels, map.width, map.height, width, height), colours, layer.data);
        stage.current?.setHint(layer);
        setAvailable(true);
      },
      // Without its hint the editor still works: the layer's switch stays off.
      () => {},
    );
    return () => {
      cancelled = true;
    };
  }, [stage, levelsUrl, legendUrl, width, height, ready]);
  return available;
}

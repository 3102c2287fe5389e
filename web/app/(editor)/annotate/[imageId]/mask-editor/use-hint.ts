import { useEffect, useState } from 'react';

import { loadPixels } from '@/lib/browser-images';
import { colourise, levelsFromInferno, resizeLevels } from '@/lib/maps';
import type { StageRef } from './use-stage';

/**
 * Puts the run's attention map for this image (`url`, null when the editor was not opened from a run) on the
 * stage as the hint layer, re-coloured at the image's size; true once it is there.
 */
export function useHint(stage: StageRef, ready: boolean, url: string | null, width: number, height: number) {
  const [available, setAvailable] = useState(false);
  useEffect(() => {
    if (!url || !ready) return;
    let cancelled = false;
    loadPixels(url).then(
      (map) => {
        if (cancelled) return;
        const levels = levelsFromInferno(map.data, map.width * map.height);
        const layer = new ImageData(width, height);
        colourise(resizeLevels(levels, map.width, map.height, width, height), 'inferno', layer.data);
        stage.current?.setHint(layer);
        setAvailable(true);
      },
      () => {},
    );
    return () => {
      cancelled = true;
    };
  }, [stage, url, width, height, ready]);
  return available;
}

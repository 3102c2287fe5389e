import { useCallback, useRef, useState } from 'react';

import { defaultHintThreshold, maskFromHint } from '@/lib/mask/hint';
import type { StageRef } from './use-stage';

/**
 * "Start from hint": the hint's levels thresholded into the mask, as one undoable step that the threshold slider
 * replaces while it moves (drawing is locked meanwhile, so that the step stays the last one); `keep` leaves it
 * for the usual tools, `cancel` undoes it.
 */
export function useHintStart(stage: StageRef, levels: Uint8Array | null) {
  const [threshold, setThresholdState] = useState<number | null>(null);
  /** Whether the preview is a step in the history (a threshold that changed nothing is not). */
  const stepped = useRef(false);

  const apply = useCallback(
    (level: number) => {
      const instance = stage.current;
      if (!instance || !levels) return;
      if (stepped.current) instance.undo();
      stepped.current = instance.replaceMask(maskFromHint(levels, level), 'set');
      setThresholdState(level);
    },
    [stage, levels],
  );

  const start = useCallback(() => {
    if (!levels || !stage.current) return;
    stepped.current = false;
    stage.current.setLocked(true);
    apply(defaultHintThreshold(levels));
  }, [stage, levels, apply]);

  const finish = useCallback(
    (keep: boolean) => {
      const instance = stage.current;
      if (!keep && stepped.current) instance?.undo();
      stepped.current = false;
      instance?.setLocked(false);
      setThresholdState(null);
    },
    [stage],
  );

  return {
    /** The threshold (1-255) while the hint is being thresholded; null otherwise. */
    threshold,
    start,
    setThreshold: apply,
    keep: useCallback(() => finish(true), [finish]),
    cancel: useCallback(() => finish(false), [finish]),
  };
}

export type HintStart = ReturnType<typeof useHintStart>;

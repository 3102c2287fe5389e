import { useCallback, useEffect, useState } from 'react';

import type { StageRef } from './use-stage';

function useLayer(visibleAtFirst: boolean) {
  const [opacity, setOpacity] = useState(0.5);
  const [visible, setVisible] = useState(visibleAtFirst);
  const toggle = useCallback(() => setVisible((shown) => !shown), []);
  return { opacity, visible, setOpacity, setVisible, toggle };
}

export type Layer = ReturnType<typeof useLayer>;

/** The mask and attention-hint layers' opacity and visibility, applied to the stage once it is `ready`. */
export function useLayers(stage: StageRef, ready: boolean) {
  const mask = useLayer(true);
  // Off until asked for (H): the map tints the whole image, which hides texture the annotator needs to see.
  const hint = useLayer(false);
  useEffect(() => stage.current?.setMaskLayer(mask.opacity, mask.visible), [stage, mask.opacity, mask.visible, ready]);
  useEffect(() => stage.current?.setHintLayer(hint.opacity, hint.visible), [stage, hint.opacity, hint.visible, ready]);
  return { mask, hint };
}

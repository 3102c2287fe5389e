import { useEffect, useLayoutEffect, useRef, useState } from 'react';

import { loadImage } from '@/lib/browser-images';
import type { AnnotatedImage } from '@/lib/domain/masks';
import { keepDraft, takeDraft } from '@/lib/mask/drafts';
import { loadMask } from '@/lib/mask/png';
import { MaskStage, type StageSnapshot } from '@/lib/mask/stage';
import type { DraftHandle } from './use-draft';

/** What the side panels show of the stage (everything but the cursor, which moves all the time). */
export type Panels = Omit<StageSnapshot, 'cursor'>;

function panelsOf(snapshot: StageSnapshot): Panels {
  const { cursor: _cursor, ...panels } = snapshot;
  return panels;
}

function samePanels(a: Panels, b: StageSnapshot): boolean {
  return (Object.keys(a) as (keyof Panels)[]).every((key) => a[key] === b[key]);
}

/**
 * Loads the image and the kept draft or the latest saved mask, and puts them on a MaskStage drawn on `canvas`.
 * `panels` is null until the stage is ready; `statusListener` hears every snapshot, cursor moves included.
 */
export function useStage(image: AnnotatedImage, editable: boolean, { begin, end }: DraftHandle) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const stage = useRef<MaskStage | null>(null);
  const statusListener = useRef<((snapshot: StageSnapshot) => void) | null>(null);
  const [panels, setPanels] = useState<Panels | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    const kept = takeDraft(image.id);
    (async () => {
      const [element, saved] = await Promise.all([
        loadImage(image.url),
        kept || !image.currentMask ? Promise.resolve(null) : loadMask(image.currentMask.url, image.width, image.height),
      ]);
      if (cancelled || !canvas.current) {
        if (kept) keepDraft(image.id, kept);
        return;
      }
      const { raster, history } = begin(kept, saved);
      const instance = new MaskStage(canvas.current, element, raster, history, {
        editable,
        onChange: (snapshot) => {
          statusListener.current?.(snapshot);
          setPanels((previous) => (previous && samePanels(previous, snapshot) ? previous : panelsOf(snapshot)));
        },
      });
      stage.current = instance;
      instance.resize();
    })().catch((error: unknown) => {
      if (!cancelled) setLoadError(error instanceof Error ? error.message : 'the image could not be loaded');
    });
    return () => {
      cancelled = true;
      stage.current?.destroy();
      stage.current = null;
      end();
    };
  }, [image.id, image.url, image.width, image.height, image.currentMask, editable, begin, end]);

  useLayoutEffect(() => {
    const element = canvas.current;
    if (!element) return;
    const observer = new ResizeObserver(() => stage.current?.resize());
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  return { canvas, stage, statusListener, panels, loadError };
}

export type StageRef = ReturnType<typeof useStage>['stage'];

import { useCallback, useRef, useState } from 'react';

import type { AnnotatedImage } from '@/lib/domain/masks';
import { keepDraft, type Draft } from '@/lib/mask/drafts';
import { StrokeHistory } from '@/lib/mask/history';
import { MaskRaster } from '@/lib/mask/raster';

/**
 * The work on one image: its raster and undo history (kept in memory when the annotator moves to another image
 * with unsaved strokes) and the mask version it builds on, which saving needs.
 */
export function useDraft(image: AnnotatedImage) {
  const work = useRef<Draft | null>(null);
  const [baseVersion, setBaseVersion] = useState(image.maskVersion);
  const [restored, setRestored] = useState(false);
  const { id, width, height, maskVersion } = image;

  /** Starts from the kept draft when there is one, else from the saved mask (null: none). */
  const begin = useCallback(
    (kept: Draft | null, saved: Uint8Array | null): Draft => {
      const draft = kept ?? {
        raster: new MaskRaster(width, height, saved ?? undefined),
        history: new StrokeHistory(),
        baseVersion: maskVersion,
      };
      work.current = draft;
      if (kept) {
        setRestored(true);
        setBaseVersion(kept.baseVersion);
      }
      return draft;
    },
    [width, height, maskVersion],
  );

  /** Leaving the image (another image, another page): unsaved strokes are kept for when the annotator is back. */
  const end = useCallback(() => {
    if (work.current?.history.dirty) keepDraft(id, work.current);
    work.current = null;
  }, [id]);

  /** `draft` now builds on `version` (saved, or taken from someone else), even if it was kept meanwhile. */
  const rebase = useCallback((version: number, draft?: Draft) => {
    if (draft) draft.baseVersion = version;
    else if (work.current) work.current.baseVersion = version;
    setBaseVersion(version);
  }, []);

  // A reload or a closed tab does not lose the strokes either: use-kept-draft keeps them in IndexedDB.
  const isDirty = useCallback(() => work.current?.history.dirty ?? false, []);

  return { work, baseVersion, restored, setRestored, begin, end, rebase, isDirty };
}

export type DraftHandle = ReturnType<typeof useDraft>;

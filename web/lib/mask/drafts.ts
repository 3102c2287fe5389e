import type { StrokeHistory } from './history';
import type { MaskRaster } from './raster';

/** Unsaved work on one image, kept while the annotator moves to other images (lost on a page reload). */
export interface Draft {
  raster: MaskRaster;
  history: StrokeHistory;
  /** The mask version the work started from (what saveMask needs as baseVersion). */
  baseVersion: number;
}

// Module state survives client-side navigation between images, which is what next/previous do.
const drafts = new Map<string, Draft>();

export function keepDraft(imageId: string, draft: Draft): void {
  drafts.set(imageId, draft);
}

/** The kept draft of an image, removed from the store (the editor owns it again). */
export function takeDraft(imageId: string): Draft | null {
  const draft = drafts.get(imageId) ?? null;
  drafts.delete(imageId);
  return draft;
}

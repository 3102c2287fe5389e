import { useCallback, useEffect, useRef, useState } from 'react';

import type { AnnotatedImage } from '@/lib/domain/masks';
import { DraftStore, type StoredDraft } from '@/lib/mask/draft-store';
import type { DraftHandle } from './use-draft';
import type { Panels, StageRef } from './use-stage';

/** How long after the last change the mask is written to IndexedDB. */
const WRITE_DELAY_MS = 300;

let store: DraftStore | null = null;

function draftStore(): DraftStore {
  store ??= new DraftStore(typeof indexedDB === 'undefined' ? undefined : indexedDB);
  return store;
}

/** Whether IndexedDB holds the mask as it is: nothing (it is saved), soon (a write is due), yes, or refused. */
export type KeptState = 'none' | 'pending' | 'kept' | 'failed';

/**
 * Unsaved masks kept across reloads and closed tabs: shortly after each change the mask is written to
 * IndexedDB (lib/mask/draft-store.ts), and removed once it is saved or back to the saved version. On opening an
 * image with a kept draft the annotator is offered to restore or discard it; until they choose, it is left
 * as it is. The browser asks before leaving only while the last changes are not kept yet.
 */
export function useKeptDraft({
  image,
  editable,
  stage,
  panels,
  draft,
}: {
  image: AnnotatedImage;
  editable: boolean;
  stage: StageRef;
  panels: Panels | null;
  draft: DraftHandle;
}) {
  const { id, width, height } = image;
  const { work, restored, baseVersion, rebase, isDirty } = draft;
  const ready = panels !== null;
  const revision = panels?.revision ?? 0;
  const dirty = panels?.dirty ?? false;
  const [offer, setOffer] = useState<StoredDraft | null>(null);
  /** False until the kept draft of an earlier visit has been looked for: nothing is written before. */
  const [lookedUp, setLookedUp] = useState(false);
  /** The mask's revision and base version last written, and whether the browser refused a write. */
  const [written, setWritten] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const looking = useRef(false);
  /** The write waiting for its delay, run at once if the editor closes first (another image, another page). */
  const pending = useRef<(() => void) | null>(null);
  const key = `${revision}:${baseVersion}`;

  useEffect(() => {
    if (!ready || !editable || looking.current) return;
    looking.current = true;
    // A draft taken from memory (moving between images) is newer than any kept one.
    const fromMemory = restored;
    draftStore()
      .get(id, width, height)
      .then(
        (stored) => setOffer(fromMemory ? null : stored),
        () => setFailed(true),
      )
      .finally(() => setLookedUp(true));
  }, [ready, editable, restored, id, width, height]);

  useEffect(() => {
    const current = work.current;
    if (!ready || !editable || !lookedUp || offer || !current) return;
    const write = () => {
      pending.current = null;
      const keep = current.history.dirty;
      const stored = keep
        ? draftStore().put({
            imageId: id,
            baseVersion: current.baseVersion,
            width,
            height,
            pixels: Uint8Array.from(current.raster.data),
            savedAt: Date.now(),
          })
        : draftStore().delete(id);
      stored.then(
        () => {
          setFailed(false);
          setWritten(key);
        },
        () => setFailed(true),
      );
    };
    pending.current = write;
    const timer = setTimeout(write, WRITE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [ready, editable, lookedUp, offer, work, id, width, height, key]);

  // Closing the editor: what was not written yet is written now (the latest pending write, hence the ref).
  useEffect(() => {
    const latest = pending;
    return () => latest.current?.();
  }, []);

  // 'none' once the store holds nothing for a clean mask (a kept draft is removed 300 ms after saving).
  const kept: KeptState = failed ? 'failed' : written !== key ? 'pending' : dirty ? 'kept' : 'none';
  const unkept = useRef(false);
  useEffect(() => {
    unkept.current = kept === 'pending' || kept === 'failed';
  }, [kept]);

  // A reload or a closed tab would lose only what is not kept yet: the browser asks first then.
  useEffect(() => {
    function beforeUnload(event: BeforeUnloadEvent) {
      if (isDirty() && unkept.current) event.preventDefault();
    }
    window.addEventListener('beforeunload', beforeUnload);
    return () => window.removeEventListener('beforeunload', beforeUnload);
  }, [isDirty]);

  /** Shows the kept draft over the saved version (one undoable step), building on the version it was drawn on. */
  const restore = useCallback(() => {
    if (!offer || !stage.current) return;
    stage.current.replaceMask(offer.pixels, 'set');
    rebase(offer.baseVersion);
    setOffer(null);
  }, [offer, stage, rebase]);

  const discard = useCallback(async () => {
    if (!offer) return;
    try {
      await draftStore().delete(offer.imageId);
      setOffer(null);
    } catch {
      setFailed(true);
    }
  }, [offer]);

  return { offer, restore, discard, kept, lookedUp };
}

export type KeptDraft = ReturnType<typeof useKeptDraft>;

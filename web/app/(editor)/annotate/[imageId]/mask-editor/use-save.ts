import { useCallback, useState } from 'react';

import { announceWorkChanged } from '@/components/nav-counts';
import { latestMask, saveMask, type AnnotatedImage, type MaskVersion } from '@/lib/domain/masks';
import { browserClient } from '@/lib/graphql/browser';
import { describeError } from '@/lib/graphql/client';
import { loadMask, maskToPngBase64 } from '@/lib/mask/png';
import type { SetMessage } from './message';
import type { DraftHandle } from './use-draft';
import type { StageRef } from './use-stage';

/** Someone saved `currentVersion` (shown as `mask`) after the version this work builds on. */
export interface Conflict {
  currentVersion: number;
  mask: MaskVersion | null;
}

export type ConflictChoice = 'mine' | 'merge' | 'theirs';

/**
 * Saving, which is append-only with a base version: when someone saved first, the API refuses, and the
 * annotator's strokes stay on screen while they choose how to combine the two (`resolveConflict`).
 */
export function useSave({
  image,
  editable,
  draft,
  stage,
  setCurrent,
  setMessage,
}: {
  image: AnnotatedImage;
  editable: boolean;
  draft: DraftHandle;
  stage: StageRef;
  setCurrent: (mask: MaskVersion | null) => void;
  setMessage: SetMessage;
}) {
  const [submit, setSubmit] = useState(true);
  const [saveOnLeave, setSaveOnLeave] = useState(false);
  const [saving, setSaving] = useState(false);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const { work, baseVersion, rebase, setRestored, isDirty } = draft;
  const { id, width, height } = image;

  const save = useCallback(
    async (base: number = baseVersion): Promise<boolean> => {
      const state = work.current;
      if (!state || !editable) return false;
      setSaving(true);
      setMessage(null);
      try {
        const outcome = await saveMask(browserClient, {
          imageId: id,
          pngBase64: maskToPngBase64(state.raster.data, width, height),
          baseVersion: base,
          submit,
        });
        if (outcome.kind === 'conflict') {
          const latest = await latestMask(browserClient, id).catch(() => null);
          setConflict({ currentVersion: outcome.currentVersion, mask: latest?.mask ?? null });
          return false;
        }
        rebase(outcome.mask.version, state);
        setCurrent(outcome.mask);
        setConflict(null);
        setRestored(false);
        stage.current?.markSaved();
        announceWorkChanged();
        const status = outcome.mask.status === 'SUBMITTED' ? ', submitted for review' : ' (draft)';
        setMessage({ kind: 'ok', text: `Saved as version ${outcome.mask.version}${status}` });
        return true;
      } catch (error) {
        setMessage({ kind: 'error', text: `Not saved: ${describeError(error)}` });
        return false;
      } finally {
        setSaving(false);
      }
    },
    [baseVersion, editable, id, width, height, submit, work, rebase, setRestored, stage, setCurrent, setMessage],
  );

  /** Moving to another image: saves first when asked to; false when that save failed. */
  const saveBeforeLeaving = useCallback(
    async () => !(saveOnLeave && isDirty()) || (await save()),
    [saveOnLeave, isDirty, save],
  );

  /** Shows `mask` (version `version`, pixels `data`): instead of the strokes ('set') or added to them ('add'). */
  const adopt = useCallback(
    (version: number, mask: MaskVersion | null, data: Uint8Array, mode: 'set' | 'add') => {
      stage.current?.replaceMask(data, mode);
      if (mode === 'set') stage.current?.markSaved();
      rebase(version);
      setCurrent(mask);
    },
    [stage, rebase, setCurrent],
  );

  async function resolveConflict(choice: ConflictChoice) {
    if (!conflict) return;
    const { currentVersion, mask } = conflict;
    if (choice === 'mine') {
      rebase(currentVersion);
      await save(currentVersion);
      return;
    }
    try {
      const theirs = mask ? await loadMask(mask.url, width, height) : new Uint8Array(width * height);
      adopt(currentVersion, mask, theirs, choice === 'merge' ? 'add' : 'set');
      setConflict(null);
      setMessage({
        kind: 'warn',
        text:
          choice === 'merge'
            ? `Version ${currentVersion} is added to your strokes (Ctrl+Z undoes that). Save to keep the result.`
            : `Showing version ${currentVersion}; your strokes are one undo away (Ctrl+Z).`,
      });
    } catch (error) {
      setMessage({ kind: 'error', text: describeError(error) });
    }
  }

  return {
    save,
    saving,
    submit,
    setSubmit,
    saveOnLeave,
    setSaveOnLeave,
    saveBeforeLeaving,
    conflict,
    resolveConflict,
    adopt,
  };
}

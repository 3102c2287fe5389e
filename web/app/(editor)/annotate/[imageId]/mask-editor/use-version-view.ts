import { useCallback, useState } from 'react';

import { announceWorkChanged } from '@/components/nav-counts';
import { latestMask, restoreMaskVersion, type AnnotatedImage, type MaskVersion } from '@/lib/domain/masks';
import { browserClient } from '@/lib/graphql/browser';
import { describeError } from '@/lib/graphql/client';
import { loadMask } from '@/lib/mask/png';
import type { SetMessage } from './message';
import type { DraftHandle } from './use-draft';
import type { StageRef } from './use-stage';

/** A saved version as the version list shows it. */
export type VersionEntry = AnnotatedImage['masks'][number];

/**
 * A saved version opened read-only: shown on the canvas instead of the mask being edited (which stays as it
 * is), drawing locked; `restore` saves its pixels as a new version (restoreMaskVersion, with the latest
 * version this page knows as base: a conflict when someone saved since).
 */
export function useVersionView({
  image,
  stage,
  draft,
  current,
  submit,
  adopt,
  setCurrent,
  setMessage,
}: {
  image: AnnotatedImage;
  stage: StageRef;
  draft: DraftHandle;
  current: MaskVersion | null;
  submit: boolean;
  adopt: (version: number, mask: MaskVersion | null, data: Uint8Array, mode: 'set') => void;
  setCurrent: (mask: MaskVersion | null) => void;
  setMessage: SetMessage;
}) {
  const [viewing, setViewing] = useState<{ entry: VersionEntry; data: Uint8Array } | null>(null);
  const [busy, setBusy] = useState(false);
  const { id, width, height } = image;

  const close = useCallback(() => {
    stage.current?.showVersion(null);
    stage.current?.setLocked(false);
    setViewing(null);
  }, [stage]);

  const view = useCallback(
    async (entry: VersionEntry) => {
      setBusy(true);
      try {
        const data = await loadMask(entry.url, width, height);
        stage.current?.showVersion(data);
        stage.current?.setLocked(true);
        setViewing({ entry, data });
      } catch (error) {
        setMessage({ kind: 'error', text: `Version ${entry.version} could not be shown: ${describeError(error)}` });
      } finally {
        setBusy(false);
      }
    },
    [stage, width, height, setMessage],
  );

  const restore = useCallback(async () => {
    if (!viewing) return;
    const { entry, data } = viewing;
    setBusy(true);
    setMessage(null);
    try {
      const outcome = await restoreMaskVersion(browserClient, {
        imageId: id,
        version: entry.version,
        baseVersion: current?.version ?? 0,
        submit,
      });
      if (outcome.kind === 'conflict') {
        const latest = await latestMask(browserClient, id).catch(() => null);
        if (latest?.mask) setCurrent(latest.mask);
        setMessage({
          kind: 'error',
          text:
            `Not restored: someone saved version ${outcome.currentVersion} meanwhile. ` +
            `Look at it, then restore version ${entry.version} again if it is still wanted.`,
        });
        return;
      }
      const dirty = draft.isDirty();
      close();
      adopt(outcome.mask.version, outcome.mask, data, 'set');
      announceWorkChanged();
      setMessage({
        kind: 'ok',
        text:
          `Version ${entry.version} restored as version ${outcome.mask.version}` +
          (dirty ? '; your unsaved strokes are one undo away (Ctrl+Z).' : '.'),
      });
    } catch (error) {
      setMessage({ kind: 'error', text: `Not restored: ${describeError(error)}` });
    } finally {
      setBusy(false);
    }
  }, [viewing, id, current, submit, draft, close, adopt, setCurrent, setMessage]);

  return { viewing: viewing?.entry ?? null, view, close, restore, busy };
}

export type VersionView = ReturnType<typeof useVersionView>;

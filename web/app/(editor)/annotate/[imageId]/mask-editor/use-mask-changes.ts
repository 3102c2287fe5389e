import { useSubscription } from '@/components/live';
import type { AnnotatedImage, MaskVersion } from '@/lib/domain/masks';
import { MaskChangedDocument } from '@/lib/graphql/generated';
import { loadMask } from '@/lib/mask/png';
import type { SetMessage } from './message';
import type { DraftHandle } from './use-draft';

/**
 * Someone else saves or reviews while this image is open: a review or the version shown updates the saved
 * version; a newer version is shown at once when nothing is unsaved, and announced otherwise (saving will then
 * ask how to combine the two).
 */
export function useMaskChanges({
  image,
  userId,
  draft,
  adopt,
  setCurrent,
  setMessage,
}: {
  image: AnnotatedImage;
  userId: string;
  draft: DraftHandle;
  adopt: (version: number, mask: MaskVersion, data: Uint8Array, mode: 'set') => void;
  setCurrent: (update: (previous: MaskVersion | null) => MaskVersion | null) => void;
  setMessage: SetMessage;
}) {
  const { baseVersion, isDirty } = draft;
  useSubscription(MaskChangedDocument, { datasetId: image.dataset.id }, (data) => {
    const { kind, mask } = data.maskChanged;
    if (mask.image.id !== image.id) return;
    if (kind === 'REVIEWED' || mask.version === baseVersion) {
      setCurrent((previous) =>
        previous?.id === mask.id || !previous || mask.version >= previous.version ? mask : previous,
      );
      return;
    }
    if (mask.version <= baseVersion || mask.author?.id === userId) return;
    const who = mask.author?.name ?? 'Someone';
    if (isDirty()) {
      setMessage({
        kind: 'warn',
        text: `${who} saved version ${mask.version} while you were editing: saving will ask how to combine it with yours.`,
      });
      return;
    }
    void loadMask(mask.url, image.width, image.height).then((pixels) => {
      adopt(mask.version, mask, pixels, 'set');
      setMessage({ kind: 'warn', text: `${who} saved version ${mask.version}; it is shown now.` });
    });
  });
}

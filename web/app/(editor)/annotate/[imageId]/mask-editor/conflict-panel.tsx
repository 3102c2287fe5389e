import { dateTime } from '@/lib/format';
import type { Conflict, ConflictChoice } from './use-save';

/** Someone saved first: nothing was lost, and the annotator chooses how to combine the two versions. */
export function ConflictPanel({
  conflict,
  saving,
  resolve,
}: {
  conflict: Conflict;
  saving: boolean;
  resolve: (choice: ConflictChoice) => Promise<void>;
}) {
  const { mask, currentVersion } = conflict;
  return (
    <div className="notice error stack" role="alert" data-testid="conflict">
      <strong>Someone saved first.</strong>
      <span className="small">
        {mask?.author?.name ?? 'Another annotator'} saved version {currentVersion}
        {mask ? ` (${dateTime(mask.createdAt)})` : ''} while you were editing. Nothing of yours was saved, and nothing
        was lost: your strokes are still here.
      </span>
      <button className="primary" onClick={() => void resolve('mine')} disabled={saving}>
        Save mine as version {currentVersion + 1}
      </button>
      <button onClick={() => void resolve('merge')} disabled={saving}>
        Add theirs to mine
      </button>
      <button onClick={() => void resolve('theirs')} disabled={saving}>
        Show theirs instead
      </button>
    </div>
  );
}

import { describeDraft } from '@/lib/mask/draft-store';
import { dateTime } from '@/lib/format';
import type { KeptDraft } from './use-kept-draft';
import type { VersionView } from './use-version-view';

/** A kept draft from an earlier visit (a reload, a closed tab): restore it or discard it. */
export function DraftOffer({ kept, latestVersion }: { kept: KeptDraft; latestVersion: number }) {
  const { offer } = kept;
  if (!offer) return null;
  const { stale, text } = describeDraft(offer, latestVersion);
  return (
    <div
      className={`editor-banner notice ${stale ? 'error' : 'warn'}`}
      role="status"
      data-testid="draft-offer"
      data-stale={stale}
    >
      <span className="small">
        <strong>A draft of this mask was kept</strong> ({dateTime(new Date(offer.savedAt).toISOString())}). {text}
      </span>
      <div className="row">
        <button className="primary" onClick={kept.restore} data-testid="restore-draft">
          Restore draft
        </button>
        <button onClick={() => void kept.discard()} data-testid="discard-draft">
          Discard
        </button>
      </div>
    </div>
  );
}

/** A saved version shown read-only in place of the mask: clearly labelled, with the way back and its restore. */
export function VersionBanner({ view, editable }: { view: VersionView; editable: boolean }) {
  const entry = view.viewing;
  if (!entry) return null;
  return (
    <div className="editor-banner notice version" role="status" data-testid="version-view" data-version={entry.version}>
      <span className="small">
        <strong>Version {entry.version}, read-only.</strong> Tools are off; your work is kept as it was.
      </span>
      <div className="row">
        {editable ? (
          <button
            className="primary"
            onClick={() => void view.restore()}
            disabled={view.busy}
            data-testid="restore-version"
          >
            Restore as new version
          </button>
        ) : null}
        <button onClick={view.close} data-testid="close-version">
          Back to editing
        </button>
      </div>
    </div>
  );
}

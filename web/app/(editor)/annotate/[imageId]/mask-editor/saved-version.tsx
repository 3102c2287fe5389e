import { MaskStatusBadge } from '@/components/ui';
import type { MaskVersion } from '@/lib/domain/masks';
import { count, dateTime } from '@/lib/format';
import type { VersionEntry, VersionView } from './use-version-view';

/** The latest saved version: who made it, its status and its reviews. */
export function SavedVersion({ current }: { current: MaskVersion | null }) {
  return (
    <div>
      <h3>Saved version</h3>
      {current ? (
        <div
          className="stack small"
          data-testid="current-mask"
          data-status={current.status}
          data-version={current.version}
        >
          <div className="row">
            <strong>v{current.version}</strong>
            <MaskStatusBadge status={current.status} />
            <span className="muted">
              {current.source === 'IMPORTED' ? 'imported' : (current.author?.name ?? 'unknown')}
            </span>
          </div>
          <span className="muted">{dateTime(current.createdAt)}</span>
          {current.reviews.map((entry) => (
            <div key={entry.id} className="notice small">
              <strong>{entry.decision === 'APPROVE' ? 'Approved' : 'Rejected'}</strong> by{' '}
              {entry.reviewer?.name ?? 'a former user'}
              {entry.comment ? `: “${entry.comment}”` : ''}
            </div>
          ))}
        </div>
      ) : (
        <p className="small muted">No mask yet.</p>
      )}
    </div>
  );
}

/** Every saved version, newest first, each of which can be opened read-only on the canvas. */
export function VersionList({
  versions,
  view,
  disabled,
}: {
  versions: VersionEntry[];
  view: VersionView;
  /** While a hint is being thresholded, no version is opened. */
  disabled: boolean;
}) {
  if (versions.length === 0) return null;
  return (
    <details open={versions.length <= 5} data-testid="versions">
      <summary className="small">All versions ({versions.length})</summary>
      <ul className="version-list small">
        {versions.map((entry) => {
          const open = view.viewing?.id === entry.id;
          return (
            <li key={entry.id} data-testid="version-row" data-version={entry.version} aria-current={open || undefined}>
              <span>
                <strong>v{entry.version}</strong> <MaskStatusBadge status={entry.status} />{' '}
                <span className="muted">
                  {entry.source === 'IMPORTED' ? 'imported' : (entry.author?.name ?? 'unknown')} ·{' '}
                  {count(entry.defectPixels)} px · {dateTime(entry.createdAt)}
                </span>
              </span>
              {open ? (
                <button onClick={view.close}>Close</button>
              ) : (
                <button
                  onClick={() => void view.view(entry)}
                  disabled={disabled || view.busy}
                  aria-label={`View version ${entry.version}`}
                >
                  View
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </details>
  );
}

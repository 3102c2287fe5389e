import { MaskStatusBadge } from '@/components/ui';
import type { MaskVersion } from '@/lib/domain/masks';
import { dateTime } from '@/lib/format';

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

/** Every version of the image's mask, when there is more than one. */
export function AllVersions({ masks }: { masks: { id: string; version: number; status: MaskVersion['status'] }[] }) {
  if (masks.length <= 1) return null;
  return (
    <details>
      <summary className="small">All versions ({masks.length})</summary>
      <ul className="small" style={{ paddingLeft: '1.1rem' }}>
        {masks.map((mask) => (
          <li key={mask.id}>
            v{mask.version} <MaskStatusBadge status={mask.status} />
          </li>
        ))}
      </ul>
    </details>
  );
}

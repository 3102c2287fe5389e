import type { ReactNode } from 'react';

import type { ImageLabel, MaskStatus, RunStatus } from '@/lib/graphql/generated';

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty" role="status">
      <h2>{title}</h2>
      {children}
    </div>
  );
}

/** An EmptyState in a panel of its own, where a page's table or list would be. */
export function EmptyPanel({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="panel">
      <EmptyState title={title}>{children}</EmptyState>
    </div>
  );
}

/** A `table.data` that scrolls sideways when the window is narrow. */
export function DataTable({ testId, children }: { testId?: string; children: ReactNode }) {
  return (
    <div className="table-wrap">
      <table className="data" data-testid={testId}>
        {children}
      </table>
    </div>
  );
}

/** A short notice; errors are announced at once (alert), the rest when the reader is free (status). */
export function Notice({
  kind,
  className,
  children,
}: {
  kind?: 'ok' | 'warn' | 'error';
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className={['notice', kind, className].filter(Boolean).join(' ')} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

/** A large figure with its label, in a `.stat-row`. */
export function Stat({ label, value }: { label: string; value: ReactNode }) {
  return (
    <div className="stat">
      <span className="value">{value}</span>
      <span className="label">{label}</span>
    </div>
  );
}

/** An error for people: what failed and what to do; never a stack trace. */
export function ErrorState({ title = 'This could not be loaded', message }: { title?: string; message: string }) {
  return (
    <div className="notice error" role="alert">
      <strong>{title}.</strong> {message}
    </div>
  );
}

export function ProgressBar({ value, big = false, label }: { value: number; big?: boolean; label: string }) {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(value) ? value : 0));
  return (
    <div
      className={big ? 'progress big' : 'progress'}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(clamped * 100)}
    >
      <span style={{ width: `${clamped * 100}%` }} />
    </div>
  );
}

const RUN_STATUS_CLASS: Record<RunStatus, string> = {
  QUEUED: 'badge',
  RUNNING: 'badge info',
  SUCCEEDED: 'badge ok',
  FAILED: 'badge danger',
  CANCELLED: 'badge warn',
};

export function RunStatusBadge({ status }: { status: RunStatus }) {
  return (
    <span className={RUN_STATUS_CLASS[status]} data-status={status}>
      {status.toLowerCase()}
    </span>
  );
}

const MASK_STATUS_CLASS: Record<MaskStatus, string> = {
  DRAFT: 'badge',
  SUBMITTED: 'badge info',
  APPROVED: 'badge ok',
  REJECTED: 'badge danger',
};

export function MaskStatusBadge({ status }: { status: MaskStatus }) {
  return <span className={MASK_STATUS_CLASS[status]}>{status.toLowerCase()}</span>;
}

export function LabelBadge({ label, defectType }: { label: ImageLabel; defectType: string }) {
  if (label === 'NORMAL') return <span className="badge ok">normal</span>;
  if (label === 'UNLABELED') return <span className="badge">unlabeled</span>;
  return <span className="badge danger">{defectType}</span>;
}

export function Skeleton({ height = 16, width = '100%' }: { height?: number; width?: number | string }) {
  return <div className="skeleton" style={{ height, width }} aria-hidden="true" />;
}

/** What loading.tsx files show: the page's outline while its data arrives. */
export function PageSkeleton({ rows = 6 }: { rows?: number }) {
  return (
    <div className="stack" aria-busy="true" aria-label="Loading">
      <Skeleton height={28} width={280} />
      <Skeleton height={14} width={420} />
      <div className="panel stack">
        {Array.from({ length: rows }, (_, index) => (
          <Skeleton key={index} height={22} />
        ))}
      </div>
    </div>
  );
}

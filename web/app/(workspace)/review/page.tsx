import type { Metadata } from 'next';
import Link from 'next/link';

import { DataTable, EmptyPanel, ErrorState, MaskStatusBadge } from '@/components/ui';
import { REVIEW_ORDERS, parseReviewOrder, reviewHref, reviewInbox } from '@/lib/domain/review';
import { count, dateTime } from '@/lib/format';
import { load, requireSession } from '@/lib/server-data';
import { ReviewedNotice } from './reviewed-notice';

export const metadata: Metadata = { title: 'Review' };

export default async function ReviewInboxPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const search = await searchParams;
  const order = parseReviewOrder(search.order);
  const after = typeof search.after === 'string' && search.after ? search.after : null;
  const session = await requireSession();
  if (session.ok && !session.value.can.admin) {
    return (
      <ErrorState
        title="Admins only"
        message="Masks are reviewed by admins. Your own assigned images are in My queue."
      />
    );
  }
  const inbox = await load((client) => reviewInbox(client, order, after));
  if (!inbox.ok) return <ErrorState message={inbox.message} />;
  const { entries, totalCount, nextCursor, allowSelfReview } = inbox.value;
  const first = entries[0];
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Review</h1>
          <p data-testid="inbox-summary">
            {totalCount === 0
              ? 'No submitted mask waits for your review.'
              : `${count(totalCount)} submitted mask${totalCount === 1 ? '' : 's'} waiting for your review.`}{' '}
            {REVIEW_ORDERS.find((option) => option.value === order)?.label}; approve or reject each one, and the next
            waiting mask opens.
          </p>
        </div>
        <div className="row">
          {REVIEW_ORDERS.filter((option) => option.value !== order).map((option) => (
            <Link key={option.value} className="button" href={reviewHref('/review', option.value)}>
              {option.label}
            </Link>
          ))}
          {first ? (
            <Link className="button primary" href={reviewHref(`/review/${first.id}`, order)} data-testid="start-review">
              Start reviewing
            </Link>
          ) : null}
        </div>
      </div>
      <ReviewedNotice search={search} />
      <p className="small muted" data-testid="self-review-rule">
        {allowSelfReview
          ? 'Self-review is allowed: your own submitted masks are listed too.'
          : 'Your own submitted masks are not listed: another admin approves or rejects them.'}{' '}
        <Link href="/settings/workspace">Workspace settings</Link>
      </p>
      {entries.length === 0 ? (
        <EmptyPanel title={after ? 'No more waiting masks' : 'Nothing to review'}>
          <p>
            Masks appear here when an annotator submits them from the editor.{' '}
            {after ? <Link href={reviewHref('/review', order)}>Back to the first page</Link> : null}
          </p>
        </EmptyPanel>
      ) : (
        <DataTable testId="review-inbox">
          <thead>
            <tr>
              <th />
              <th>Image</th>
              <th>Dataset</th>
              <th>Version</th>
              <th>Author</th>
              <th>Submitted</th>
              <th className="num">Mask pixels</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.id} data-mask-id={entry.id}>
                <td>
                  <img className="thumb" src={entry.image.thumbnailUrl} alt="" loading="lazy" />
                </td>
                <td className="free-text">{entry.image.name}</td>
                <td className="free-text">
                  <Link href={`/datasets/${entry.image.dataset.id}`}>{entry.image.dataset.name}</Link>
                </td>
                <td>
                  v{entry.version} <MaskStatusBadge status={entry.status} />
                </td>
                <td className="free-text">{entry.author?.name ?? 'a deleted user'}</td>
                <td className="small">{dateTime(entry.createdAt)}</td>
                <td className="num">{count(entry.defectPixels)}</td>
                <td className="num">
                  <Link className="button" href={reviewHref(`/review/${entry.id}`, order)}>
                    Review
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
      {nextCursor ? (
        <div className="row" style={{ marginTop: '0.75rem' }}>
          <Link
            className="button"
            href={`/review?${new URLSearchParams({ ...(order === 'NEWEST_FIRST' ? { order: 'newest' } : {}), after: nextCursor })}`}
          >
            Next page
          </Link>
        </div>
      ) : null}
    </>
  );
}

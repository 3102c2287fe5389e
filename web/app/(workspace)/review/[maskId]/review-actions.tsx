'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';

import { Notice } from '@/components/ui';
import { decide, nextForReview, reviewHref, type ReviewBlocker } from '@/lib/domain/review';
import { browserClient } from '@/lib/graphql/browser';
import { describeError } from '@/lib/graphql/client';
import type { ReviewDecision, ReviewOrder } from '@/lib/graphql/generated';

/**
 * Approve, Reject (with a comment for the annotator) or Skip, each landing on the next waiting mask in the inbox's
 * order, or on the inbox once none waits. `blocker` says why this mask cannot be decided on (one's own while
 * self-review is off, already reviewed, superseded); the API's refusal is shown the same way if it comes anyway.
 */
export function ReviewActions({
  maskId,
  imageName,
  order,
  blocker,
}: {
  maskId: string;
  imageName: string;
  order: ReviewOrder;
  blocker: ReviewBlocker | null;
}) {
  const router = useRouter();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<ReviewBlocker | null>(blocker);

  function go(nextId: string | null, done: Record<string, string>) {
    router.push(reviewHref(nextId ? `/review/${nextId}` : '/review', order, done));
  }

  async function review(decision: ReviewDecision) {
    setBusy(true);
    setError(null);
    try {
      const outcome = await decide(browserClient, { maskId, decision, comment, order });
      if (outcome.kind === 'self-review') {
        setRefusal(outcome.blocker);
        setBusy(false);
        return;
      }
      go(outcome.nextId, { [decision === 'APPROVE' ? 'approved' : 'rejected']: imageName });
    } catch (failure) {
      setError(describeError(failure));
      setBusy(false);
    }
  }

  async function skip() {
    setBusy(true);
    setError(null);
    try {
      const nextId = await nextForReview(browserClient, order, maskId);
      if (nextId === maskId || nextId === null) {
        setError('No other mask waits for review.');
        setBusy(false);
        return;
      }
      go(nextId, {});
    } catch (failure) {
      setError(describeError(failure));
      setBusy(false);
    }
  }

  return (
    <section className="panel stack review-actions" aria-label="Decision">
      <h3>Decision</h3>
      {refusal ? (
        <Notice kind="warn">
          <span data-testid="review-refusal">
            {refusal.message}
            {refusal.selfReview ? (
              <>
                {' '}
                An admin can allow self-review in the <Link href="/settings/workspace">workspace settings</Link>.
              </>
            ) : null}
          </span>
        </Notice>
      ) : null}
      <textarea
        placeholder="Comment for the annotator (needed to reject)"
        aria-label="Review comment"
        value={comment}
        maxLength={2000}
        disabled={busy || refusal !== null}
        onChange={(event) => setComment(event.target.value)}
      />
      <div className="row" style={{ flexWrap: 'wrap' }}>
        <button
          className="primary"
          data-testid="approve"
          disabled={busy || refusal !== null}
          onClick={() => void review('APPROVE')}
        >
          Approve
        </button>
        <button
          className="danger"
          data-testid="reject"
          disabled={busy || refusal !== null}
          onClick={() => void review('REJECT')}
        >
          Reject
        </button>
        <button disabled={busy} onClick={() => void skip()}>
          {refusal ? 'Next waiting' : 'Skip'}
        </button>
      </div>
      {error ? <Notice kind="error">{error}</Notice> : null}
      <Link className="small" href={reviewHref('/review', order)}>
        Back to the inbox
      </Link>
    </section>
  );
}

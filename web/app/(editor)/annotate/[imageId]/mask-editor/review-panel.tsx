'use client';

import { useState } from 'react';

import { reviewMask, type MaskVersion } from '@/lib/domain/masks';
import { browserClient } from '@/lib/graphql/browser';
import { describeError } from '@/lib/graphql/client';
import type { ReviewDecision } from '@/lib/graphql/generated';
import type { SetMessage } from './message';

/** Approving or rejecting a submitted version, with a comment for the annotator. */
export function ReviewPanel({
  version,
  dirty,
  onReviewed,
  setMessage,
}: {
  version: MaskVersion;
  dirty: boolean;
  onReviewed: (mask: MaskVersion) => void;
  setMessage: SetMessage;
}) {
  const [comment, setComment] = useState('');
  const [reviewing, setReviewing] = useState(false);

  async function review(decision: ReviewDecision) {
    setReviewing(true);
    setMessage(null);
    try {
      const reviewed = await reviewMask(browserClient, version.id, decision, comment);
      onReviewed(reviewed);
      setComment('');
      const outcome = decision === 'APPROVE' ? 'approved' : 'rejected';
      setMessage({ kind: 'ok', text: `Version ${reviewed.version} ${outcome}` });
    } catch (error) {
      setMessage({ kind: 'error', text: describeError(error) });
    } finally {
      setReviewing(false);
    }
  }

  return (
    <div className="stack" aria-label="Review">
      <h3>Review v{version.version}</h3>
      {dirty ? <span className="small muted">Your unsaved strokes are not part of this version.</span> : null}
      <textarea
        placeholder="Comment for the annotator (optional)"
        value={comment}
        onChange={(event) => setComment(event.target.value)}
        maxLength={2000}
        aria-label="Review comment"
      />
      <div className="row">
        <button className="primary" onClick={() => void review('APPROVE')} disabled={reviewing} data-testid="approve">
          Approve
        </button>
        <button className="danger" onClick={() => void review('REJECT')} disabled={reviewing}>
          Reject
        </button>
      </div>
    </div>
  );
}

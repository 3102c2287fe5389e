'use client';

import { useState } from 'react';

import { Notice } from '@/components/ui';
import { setAllowSelfReview } from '@/lib/domain/review';
import { browserClient } from '@/lib/graphql/browser';
import { describeError } from '@/lib/graphql/client';

/** Whether reviewers may approve or reject masks they drew themselves; saved as soon as it is changed. */
export function SelfReviewSetting({ initial }: { initial: boolean }) {
  const [allowed, setAllowed] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  async function change(allow: boolean) {
    // Shown as asked at once, and back as it was if the API refuses.
    setAllowed(allow);
    setBusy(true);
    setOutcome(null);
    try {
      const saved = await setAllowSelfReview(browserClient, allow);
      setAllowed(saved);
      setOutcome({
        kind: 'ok',
        text: saved
          ? 'Self-review is allowed: admins now see their own masks in the review inbox and may decide on them.'
          : 'Self-review is off: a mask is approved or rejected by someone other than its author.',
      });
    } catch (failure) {
      setAllowed(!allow);
      setOutcome({ kind: 'error', text: describeError(failure) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel stack" aria-label="Review">
      <h2>Review</h2>
      <label className="check">
        <input
          type="checkbox"
          name="allowSelfReview"
          checked={allowed}
          disabled={busy}
          onChange={(event) => void change(event.target.checked)}
        />
        <span>
          <strong>Allow self-review</strong>
          <br />
          <span className="muted small">
            Off: an admin cannot approve or reject a mask they drew; another admin does, so every mask gets a second
            pair of eyes. On: a lab with a single admin can still approve its own masks.
          </span>
        </span>
      </label>
      {outcome ? (
        <Notice kind={outcome.kind}>
          <span data-testid="settings-outcome">{outcome.text}</span>
        </Notice>
      ) : null}
    </section>
  );
}

'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition, type FormEvent, type ReactNode } from 'react';

import { RangeField } from '@/components/fields';
import { Notice } from '@/components/ui';
import {
  normalizedScore,
  parseThreshold,
  scoreRange,
  setRunThreshold,
  shareOfRange,
  type Decision,
  type RunDecisionView,
} from '@/lib/domain/decisions';
import { browserClient } from '@/lib/graphql/browser';
import { describeError } from '@/lib/graphql/client';
import { percent, score } from '@/lib/format';
import { thresholdSource } from './decision-summary';

/**
 * The run's decision on its page: the threshold, where it comes from and the evaluation's, with the outcomes
 * (`children`, rendered by the server); an admin moves the threshold over the run's score range and saves it, or
 * returns to the evaluation's. Without a decision it says why, and an admin can still set one by hand.
 */
export function ThresholdPanel({
  view,
  why,
  canAdjust,
  children,
}: {
  view: RunDecisionView;
  why: string | null;
  canAdjust: boolean;
  children?: ReactNode;
}) {
  const router = useRouter();
  const [refreshing, startRefresh] = useTransition();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { decision } = view;
  const range = scoreRange(view);

  async function apply(threshold: number | null) {
    setSaving(true);
    setError(null);
    setNotice(null);
    try {
      const updated = await setRunThreshold(browserClient, view.id, threshold);
      setNotice(
        threshold === null
          ? updated
            ? `Back to the evaluation's threshold, ${score(updated.threshold)}.`
            : 'The manual threshold is cleared; the run has no decision until an evaluation gives one.'
          : `Threshold saved: ${score(threshold)}. Verdicts and normalised scores follow it now.`,
      );
      // The outcomes and every verdict on the page are the server's: read them again.
      startRefresh(() => router.refresh());
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setSaving(false);
    }
  }

  function reset() {
    if (
      decision?.evaluatedThreshold === null &&
      !window.confirm(
        'The evaluation gives no threshold: without this one the run has no verdicts until it is evaluated with normal and anomalous images. Clear it anyway?',
      )
    ) {
      return;
    }
    void apply(null);
  }

  const busy = saving || refreshing;
  return (
    <section
      className="panel stack"
      id="decision"
      aria-label="Decision"
      aria-busy={busy}
      data-testid="decision"
      data-source={decision?.source ?? 'NONE'}
      data-threshold={decision?.threshold}
      data-score-min={range?.min}
      data-score-max={range?.max}
    >
      <h2>Decision</h2>
      {decision ? (
        <>
          <dl className="keys decision-keys">
            <dt>Threshold</dt>
            <dd>
              <span className="score" data-testid="threshold">
                {score(decision.threshold)}
              </span>{' '}
              <span className={decision.source === 'MANUAL' ? 'badge warn' : 'badge info'} data-testid="source">
                {decision.source === 'MANUAL' ? 'manual' : 'evaluation'}
              </span>
            </dd>
            <dt>From</dt>
            <dd>{thresholdSource(decision)}</dd>
            <dt>Scores</dt>
            <dd>
              {score(decision.scoreMin)} to {score(decision.scoreMax)}, shown normalised to 0–1 (0.5 = the threshold)
            </dd>
          </dl>
          {children}
        </>
      ) : (
        <p data-testid="no-decision">
          <strong>No verdicts yet.</strong> {why}
          {canAdjust && range ? ' You can also set a threshold by hand below.' : ''}
        </p>
      )}
      {canAdjust && range ? (
        <ThresholdEditor
          key={decision ? `${decision.source}:${decision.threshold}` : 'none'}
          decision={decision}
          range={range}
          busy={busy}
          onSave={(threshold) => void apply(threshold)}
          onReset={decision?.source === 'MANUAL' ? reset : null}
        />
      ) : null}
      {error ? <Notice kind="error">{error}</Notice> : null}
      {notice && !error ? <Notice kind="ok">{notice}</Notice> : null}
    </section>
  );
}

/** Slider and number over the run's score range, with the chosen value normalised on the current threshold. */
function ThresholdEditor({
  decision,
  range,
  busy,
  onSave,
  onReset,
}: {
  decision: Decision | null;
  range: { min: number; max: number };
  busy: boolean;
  onSave: (threshold: number) => void;
  /** Back to the evaluation's threshold; null when the threshold already is the evaluation's. */
  onReset: (() => void) | null;
}) {
  const [text, setText] = useState(() => String(decision?.threshold ?? (range.min + range.max) / 2));
  const parsed = parseThreshold(text);
  const value = typeof parsed === 'number' ? parsed : null;
  const span = range.max - range.min;
  const unchanged = decision?.source === 'MANUAL' && value === decision.threshold;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (value !== null && !unchanged) onSave(value);
  }

  return (
    <form className="stack threshold-editor" onSubmit={submit} aria-label="Adjust the threshold">
      {span > 0 ? (
        <RangeField
          label="Threshold over the run's scores"
          name="Threshold slider"
          value={Math.min(range.max, Math.max(range.min, value ?? range.min))}
          min={range.min}
          max={range.max}
          step={span / 1000}
          onChange={(slid) => setText(score(slid))}
        />
      ) : null}
      <div className="row">
        <label className="field">
          Image score
          <input
            type="text"
            inputMode="decimal"
            name="threshold"
            value={text}
            onChange={(event) => setText(event.target.value)}
            aria-invalid={value === null}
            aria-describedby="threshold-reading"
          />
        </label>
        <span className="muted small" id="threshold-reading" data-testid="threshold-reading">
          {value === null
            ? null
            : decision
              ? `Normalised ${normalizedScore(value, decision).toFixed(2)} (0.5 is the current threshold)`
              : `${percent(shareOfRange(range, value))} of the way up the run's scores`}
        </span>
      </div>
      {typeof parsed === 'number' ? null : (
        <Notice kind="error" className="small">
          {parsed.error}
        </Notice>
      )}
      <div className="row">
        <button className="primary" type="submit" disabled={busy || value === null || unchanged}>
          Save threshold
        </button>
        {onReset ? (
          <button type="button" onClick={onReset} disabled={busy}>
            Reset to evaluation
          </button>
        ) : null}
      </div>
    </form>
  );
}

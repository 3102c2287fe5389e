import Link from 'next/link';

import { Notice } from '@/components/ui';
import type { Decision, Outcomes } from '@/lib/domain/decisions';
import { outcomeFilters, resultsHref } from '@/lib/domain/results';
import { count, score } from '@/lib/format';

/** Where a run's threshold comes from, in words. */
export function thresholdSource(decision: Decision): string {
  if (decision.source === 'EVALUATION') return "the latest evaluation's image F1-max threshold";
  return decision.evaluatedThreshold === null
    ? 'set by an admin; the evaluation gives none'
    : `set by an admin; the evaluation's is ${score(decision.evaluatedThreshold)}`;
}

/**
 * How many images the decision calls anomalous and how many it gets wrong, each a link to those results: false
 * positives and negatives are what a lab looks at first.
 */
export function OutcomeLinks({ runId, outcomes }: { runId: string; outcomes: Outcomes }) {
  return (
    <nav className="outcomes" aria-label="Outcomes" data-testid="outcomes">
      <Link href={resultsHref(runId, { verdict: 'ANOMALOUS' })} data-testid="outcome-anomalous">
        Called anomalous <strong>{count(outcomes.anomalous)}</strong> of {count(outcomes.total)}
      </Link>
      <Link href={resultsHref(runId, outcomeFilters('FALSE_POSITIVE'))} data-testid="outcome-false-positives">
        False positives <strong>{count(outcomes.falsePositives)}</strong>
      </Link>
      <Link href={resultsHref(runId, outcomeFilters('FALSE_NEGATIVE'))} data-testid="outcome-false-negatives">
        False negatives <strong>{count(outcomes.falseNegatives)}</strong>
      </Link>
    </nav>
  );
}

/** The results page's line on the run's decision: its threshold and outcomes, or why there are no verdicts. */
export function DecisionSummary({
  runId,
  decision,
  outcomes,
  why,
}: {
  runId: string;
  decision: Decision | null;
  outcomes: Outcomes | null;
  why: string | null;
}) {
  if (!decision) {
    return (
      <Notice kind="warn" className="decision-summary">
        <strong>No verdicts yet.</strong> {why} Scores below are raw;{' '}
        <Link href={`/runs/${runId}#decision`}>the run&apos;s page</Link> says more.
      </Notice>
    );
  }
  return (
    <section
      className="panel decision-summary"
      aria-label="Decision"
      data-testid="decision-summary"
      data-source={decision.source}
    >
      <p>
        Images scoring at or above <span className="score">{score(decision.threshold)}</span> are called anomalous (
        {thresholdSource(decision)}). Scores are normalised to 0–1 on the run&apos;s range, 0.5 being the threshold.
      </p>
      {outcomes ? <OutcomeLinks runId={runId} outcomes={outcomes} /> : null}
    </section>
  );
}

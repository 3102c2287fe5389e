import { OUTCOMES, outcomeOf } from '@/lib/domain/results';
import { score } from '@/lib/format';
import type { ImageLabel, Verdict } from '@/lib/graphql/generated';

/**
 * What the run's threshold calls an image. Outlined, so that it reads apart from the image's label badge (filled):
 * the label is what a person said, the verdict what the model says.
 */
export function VerdictBadge({ verdict }: { verdict: Verdict | null }) {
  if (!verdict) return null;
  return (
    <span
      className={`badge verdict ${verdict === 'ANOMALOUS' ? 'danger' : 'ok'}`}
      title="What the run's threshold calls the image"
      data-testid="verdict"
    >
      {verdict === 'ANOMALOUS' ? 'ANOMALOUS' : 'NORMAL'}
    </span>
  );
}

/** A false positive or false negative, where the image's label is known; nothing when the verdict is right. */
export function MistakeBadge({ label, verdict }: { label: ImageLabel; verdict: Verdict | null }) {
  const outcome = outcomeOf(label, verdict);
  if (outcome !== 'FALSE_POSITIVE' && outcome !== 'FALSE_NEGATIVE') return null;
  return (
    <span className="badge warn" data-testid="mistake" data-outcome={outcome}>
      {OUTCOMES[outcome].text}
    </span>
  );
}

/**
 * An image score as people read it: normalised on the run's decision (0-1, 0.5 = the threshold), the raw score
 * in the tooltip; the raw score alone while the run has no decision.
 */
export function ScoreReading({ raw, normalized }: { raw: number; normalized: number | null }) {
  if (normalized === null) {
    return (
      <span className="score" title="Raw anomaly score (the run has no threshold yet, so no normalised score)">
        {score(raw)}
      </span>
    );
  }
  return (
    <span
      className="score"
      title={`Normalised score (0.5 = the run's threshold); raw score ${score(raw)}`}
      data-testid="normalized-score"
    >
      {normalized.toFixed(2)}
    </span>
  );
}

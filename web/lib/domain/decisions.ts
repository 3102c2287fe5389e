// How a run calls its images normal or anomalous (issue 14, reading results): the threshold on image scores (the
// latest evaluation's image F1-max, or an admin's), the normalised scores people read instead of raw ones, and why
// a run has no decision yet.
import { ApiError, type GraphqlClient } from '../graphql/client';
import {
  RunDecisionViewDocument,
  RunOutcomesDocument,
  SetRunThresholdDocument,
  type DecisionFieldsFragment,
  type RunDecisionViewQuery,
} from '../graphql/generated';

export type Decision = DecisionFieldsFragment;
export type RunDecisionView = NonNullable<RunDecisionViewQuery['run']>;

/**
 * anomalib's min-max normalisation, as the API computes `Result.normalizedScore`: the threshold lands on 0.5 and
 * the run's range spans 1, clamped to 0..1 (a run whose scores are all equal gives 0 or 1).
 */
export function normalizedScore(score: number, decision: Pick<Decision, 'threshold' | 'scoreMin' | 'scoreMax'>) {
  const span = decision.scoreMax - decision.scoreMin;
  if (!(span > 0)) return score >= decision.threshold ? 1 : 0;
  return Math.min(1, Math.max(0, 0.5 + (score - decision.threshold) / span));
}

/** The range a threshold is chosen in: the decision's, else the run's lowest and highest score; null without results. */
export function scoreRange(view: Pick<RunDecisionView, 'decision' | 'highest' | 'lowest'>) {
  if (view.decision) return { min: view.decision.scoreMin, max: view.decision.scoreMax };
  const max = view.highest.edges[0]?.node.score;
  const min = view.lowest.edges[0]?.node.score;
  return min === undefined || max === undefined ? null : { min, max };
}

/** Where `value` lies in a range, 0 at its low end and 1 at its high end (0 for a range of one value). */
export function shareOfRange(range: { min: number; max: number }, value: number): number {
  const span = range.max - range.min;
  return span > 0 ? Math.min(1, Math.max(0, (value - range.min) / span)) : 0;
}

/** Why a run has no decision, in words a lab can act on; null when it has one. */
export function whyNoDecision(
  view: Pick<RunDecisionView, 'decision' | 'status' | 'resultCount' | 'evaluations' | 'latestEvaluation'>,
): string | null {
  if (view.decision) return null;
  if (view.resultCount === 0) {
    return view.status === 'QUEUED' || view.status === 'RUNNING'
      ? 'The run has not scored its test images yet: verdicts come with its results and their evaluation.'
      : 'The run has no results, so there are no images to call normal or anomalous.';
  }
  const evaluation = view.latestEvaluation;
  if (!evaluation) {
    return view.evaluations.some((entry) => entry.status === 'QUEUED' || entry.status === 'RUNNING')
      ? 'Its evaluation is still running: the threshold comes from it, where image F1 is best.'
      : 'No evaluation of the run has succeeded, and the threshold comes from one (where image F1 is best).';
  }
  const images = evaluation.images;
  if (images && (images.normal === 0 || images.anomalous === 0)) {
    const missing = images.normal === 0 ? 'normal' : 'anomalous';
    return (
      `Its latest evaluation had no ${missing} test images, and a threshold that separates the two needs both: ` +
      `label some test images ${missing} and evaluate the run again.`
    );
  }
  return 'Its latest evaluation was made before thresholds were kept: evaluate the run again to get one.';
}

/** A threshold as typed: an image score, in the run's raw units. */
export function parseThreshold(text: string): number | { error: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { error: 'Type an image score, e.g. 0.0123 or 7.0e-5' };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return { error: `"${trimmed}" is not a number: type an image score, e.g. 7.0e-5` };
  return value;
}

/** The run's decision and what is needed to explain its absence or to set one (its score range). */
export async function runDecisionView(client: GraphqlClient, runId: string): Promise<RunDecisionView> {
  const { run } = await client.request(RunDecisionViewDocument, { runId });
  if (!run) throw new ApiError(`Run ${runId} does not exist`, 'NOT_FOUND');
  return run;
}

/** What the decision makes of the run's images: how many it calls anomalous, and how many it gets wrong. */
export interface Outcomes {
  total: number;
  anomalous: number;
  /** Label NORMAL, verdict ANOMALOUS. */
  falsePositives: number;
  /** Label ANOMALOUS, verdict NORMAL. */
  falseNegatives: number;
}

/** The run's outcomes; only for a run with a decision (the API refuses verdict filters without one). */
export async function runOutcomes(client: GraphqlClient, runId: string): Promise<Outcomes> {
  const { run } = await client.request(RunOutcomesDocument, { runId });
  if (!run) throw new ApiError(`Run ${runId} does not exist`, 'NOT_FOUND');
  return {
    total: run.resultCount,
    anomalous: run.anomalous.totalCount,
    falsePositives: run.falsePositives.totalCount,
    falseNegatives: run.falseNegatives.totalCount,
  };
}

/**
 * Sets the run's threshold (admins), or with null returns it to its latest evaluation's; the run's decision as it
 * is then (null when the evaluation gives none).
 */
export async function setRunThreshold(
  client: GraphqlClient,
  runId: string,
  threshold: number | null,
): Promise<Decision | null> {
  if (threshold !== null && !Number.isFinite(threshold)) {
    throw new ApiError('The threshold must be a finite number (an image score)', 'BAD_USER_INPUT');
  }
  return (await client.request(SetRunThresholdDocument, { runId, threshold })).setRunThreshold.decision;
}

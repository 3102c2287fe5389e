import { ApiError, type GraphqlClient } from '../graphql/client';
import {
  EvaluateRunDocument,
  EvaluationCurvesDocument,
  RunEvaluationsDocument,
  type EvaluationDetailFragment,
  type MapType,
  type MetricsFragment,
} from '../graphql/generated';

export type EvaluationDetail = EvaluationDetailFragment;
export type MetricSet = MetricsFragment;

export const METRICS: readonly { key: keyof MetricSet; label: string; hint: string }[] = [
  { key: 'imageAuroc', label: 'Image AUROC', hint: 'Image-level: are anomalous images scored above normal ones?' },
  { key: 'pixelAuroc', label: 'Pixel AUROC', hint: 'Pixel-level ROC area against the masks' },
  { key: 'aupro', label: 'AUPRO', hint: 'Per-region overlap up to 30 % FPR, normalised (MVTec AD)' },
  { key: 'f1Max', label: 'F1-max', hint: 'Best pixel-level F1 over all thresholds' },
  { key: 'bestIou', label: 'Best IoU', hint: 'Best pixel-level IoU over all thresholds' },
];

export async function runEvaluations(client: GraphqlClient, runId: string) {
  const { run } = await client.request(RunEvaluationsDocument, { runId });
  if (!run) throw new ApiError(`Run ${runId} does not exist`, 'NOT_FOUND');
  return run;
}

/**
 * The evaluation to show (the one asked for, else the newest that succeeded) and the succeeded one before it,
 * to show what changed. Evaluations come newest first.
 */
export function pickEvaluations(
  evaluations: readonly EvaluationDetail[],
  id: string | undefined,
): { selected: EvaluationDetail | null; previous: EvaluationDetail | null } {
  const succeeded = evaluations.filter((evaluation) => evaluation.status === 'SUCCEEDED');
  const selected = (id ? evaluations.find((evaluation) => evaluation.id === id) : succeeded[0]) ?? null;
  if (!selected) return { selected: null, previous: null };
  const at = evaluations.indexOf(selected);
  const previous = evaluations.slice(at + 1).find((evaluation) => evaluation.status === 'SUCCEEDED') ?? null;
  return { selected, previous };
}

/** Change of one figure from the previous evaluation (null when either is undefined). */
export function delta(current: number | null, previous: number | null | undefined): number | null {
  if (current == null || previous == null) return null;
  return current - previous;
}

export async function evaluationCurves(
  client: GraphqlClient,
  evaluationId: string,
  mapType: MapType,
  defectType: string | null,
) {
  return (
    (await client.request(EvaluationCurvesDocument, { id: evaluationId, mapType, defectType })).evaluation?.curves ??
    null
  );
}

export async function evaluateRun(client: GraphqlClient, runId: string): Promise<{ id: string; status: string }> {
  return (await client.request(EvaluateRunDocument, { runId })).evaluateRun;
}

/** Pairs of (x, y) for a chart. */
export function points(curve: { x: number[]; y: number[] } | null | undefined): [number, number][] {
  if (!curve) return [];
  return curve.x.map((x, index) => [x, curve.y[index] ?? Number.NaN]);
}

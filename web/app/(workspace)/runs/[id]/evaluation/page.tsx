import type { Metadata } from 'next';
import Link from 'next/link';

import { EmptyPanel, ErrorState } from '@/components/ui';
import { pickEvaluations, runEvaluations } from '@/lib/domain/evaluations';
import { allScores, DEFAULT_MAP, pickMapType } from '@/lib/domain/results';
import { load, requireSession } from '@/lib/server-data';
import { RunPageHead } from '../run-page-head';
import { CurvesPanel } from './curves-panel';
import { EvaluationControls } from './evaluation-controls';
import { ImageScores } from './image-scores';
import { MetricsByDefect } from './metrics-by-defect';
import { MetricsByMap } from './metrics-by-map';
import { Summary } from './summary';

export const metadata: Metadata = { title: 'Evaluation' };

export default async function EvaluationPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ evaluation?: string; map?: string; defect?: string }>;
}) {
  const [{ id }, search] = await Promise.all([params, searchParams]);
  const [session, data, scores] = await Promise.all([
    requireSession(),
    load((client) => runEvaluations(client, id)),
    load((client) => allScores(client, id)),
  ]);
  if (!data.ok) return <ErrorState message={data.message} />;
  const run = data.value;
  const { selected, previous } = pickEvaluations(run.evaluations, search.evaluation);
  const mapTypes = selected?.metrics.map((entry) => entry.mapType) ?? [];
  const mapType = pickMapType(mapTypes, search.map) ?? DEFAULT_MAP;
  const defectType = search.defect && run.dataset.defectTypes.includes(search.defect) ? search.defect : null;
  const pending = run.evaluations.find(
    (evaluation) => evaluation.status === 'QUEUED' || evaluation.status === 'RUNNING',
  );
  const admin = session.ok && session.value.can.admin;
  return (
    <>
      <RunPageHead run={run} title="Evaluation" sibling={{ href: `/runs/${run.id}/results`, label: 'Results' }}>
        Maps of this run scored against the approved masks of{' '}
        <Link href={`/datasets/${run.dataset.id}`}>{run.dataset.name}</Link> at the time of each evaluation.
      </RunPageHead>
      <EvaluationControls
        runId={run.id}
        runSucceeded={run.status === 'SUCCEEDED'}
        canEvaluate={admin}
        pendingId={pending?.id ?? null}
        evaluations={run.evaluations.map((evaluation) => ({
          id: evaluation.id,
          status: evaluation.status,
          createdAt: evaluation.createdAt,
          maskCount: evaluation.maskCount,
        }))}
        selectedId={selected?.id ?? null}
      />
      {run.evaluations.length === 0 ? (
        <EmptyPanel title="No evaluation yet">
          <p>
            {run.status === 'SUCCEEDED' ? 'Re-evaluate to score this run.' : 'The run is evaluated when it succeeds.'}
          </p>
        </EmptyPanel>
      ) : !selected ? (
        <EmptyPanel title="No evaluation has succeeded yet">
          <p>One is queued or running; this page updates when it is done.</p>
        </EmptyPanel>
      ) : selected.status === 'FAILED' ? (
        <ErrorState title="This evaluation failed" message={selected.error ?? 'No reason was recorded.'} />
      ) : selected.status !== 'SUCCEEDED' ? (
        <div className="notice">This evaluation is {selected.status.toLowerCase()}…</div>
      ) : (
        <>
          <Summary evaluation={selected} previous={previous} />
          <MetricsByMap evaluation={selected} previous={previous} />
          <CurvesPanel
            evaluationId={selected.id}
            mapTypes={mapTypes}
            mapType={mapType}
            defectTypes={run.dataset.defectTypes}
            defectType={defectType}
          />
          <MetricsByDefect evaluation={selected} mapType={mapType} />
        </>
      )}
      <ImageScores scores={scores} />
    </>
  );
}

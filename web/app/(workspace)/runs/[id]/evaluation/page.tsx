import type { Metadata } from 'next';
import Link from 'next/link';

import { Histogram, LineChart } from '@/components/charts';
import { EmptyState, ErrorState } from '@/components/ui';
import {
  delta,
  evaluationCurves,
  METRICS,
  pickEvaluations,
  points,
  runEvaluations,
  type EvaluationDetail,
  type MetricSet,
} from '@/lib/domain/evaluations';
import { allScores } from '@/lib/domain/results';
import { count, dateTime, metric } from '@/lib/format';
import { load, requireSession } from '@/lib/server-data';
import { CurveChoice, EvaluationControls } from './evaluation-controls';

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
  const mapType = search.map && mapTypes.includes(search.map) ? search.map : (mapTypes[0] ?? 'attention');
  const defectType = search.defect && run.dataset.defectTypes.includes(search.defect) ? search.defect : null;
  const curves =
    selected?.status === 'SUCCEEDED'
      ? await load((client) => evaluationCurves(client, selected.id, mapType, defectType))
      : null;
  const pending = run.evaluations.find(
    (evaluation) => evaluation.status === 'QUEUED' || evaluation.status === 'RUNNING',
  );
  const admin = session.ok && session.value.can.admin;
  return (
    <>
      <div className="page-head">
        <div>
          <div className="crumbs">
            <Link href="/runs">Runs</Link> /{' '}
            <Link href={`/runs/${run.id}`}>{run.name || `Run ${run.id.slice(0, 8)}`}</Link> /
          </div>
          <h1>Evaluation</h1>
          <p>
            Maps of this run scored against the approved masks of{' '}
            <Link href={`/datasets/${run.dataset.id}`}>{run.dataset.name}</Link> at the time of each evaluation.
          </p>
        </div>
        <Link className="button" href={`/runs/${run.id}/results`}>
          Results
        </Link>
      </div>
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
        <div className="panel">
          <EmptyState title="No evaluation yet">
            <p>
              {run.status === 'SUCCEEDED' ? 'Re-evaluate to score this run.' : 'The run is evaluated when it succeeds.'}
            </p>
          </EmptyState>
        </div>
      ) : !selected ? (
        <div className="panel">
          <EmptyState title="No evaluation has succeeded yet">
            <p>One is queued or running; this page updates when it is done.</p>
          </EmptyState>
        </div>
      ) : selected.status === 'FAILED' ? (
        <ErrorState title="This evaluation failed" message={selected.error ?? 'No reason was recorded.'} />
      ) : selected.status !== 'SUCCEEDED' ? (
        <div className="notice">This evaluation is {selected.status.toLowerCase()}…</div>
      ) : (
        <>
          <Summary evaluation={selected} previous={previous} />
          <MetricsByMap evaluation={selected} previous={previous} />
          <section className="panel">
            <div className="row">
              <h2 style={{ margin: 0 }}>Curves</h2>
              <span className="spacer" />
              <CurveChoice
                mapTypes={mapTypes}
                mapType={mapType}
                defectTypes={run.dataset.defectTypes}
                defectType={defectType}
              />
            </div>
            {!curves || !curves.ok ? (
              <ErrorState message={curves && !curves.ok ? curves.message : 'No curves'} />
            ) : !curves.value ? (
              <p className="muted">No curves for this choice.</p>
            ) : (
              <div className="grid-2" style={{ marginTop: '0.75rem' }}>
                <LineChart
                  title={`ROC of the ${mapType} map${defectType ? ` on ${defectType}` : ''}`}
                  series={[
                    { name: 'Image-level', color: '#2d5bd7', points: points(curves.value.imageRoc) },
                    { name: 'Pixel-level', color: '#d7682d', points: points(curves.value.pixelRoc) },
                  ]}
                  xLabel="False positive rate"
                  yLabel="True positive rate"
                  xDomain={[0, 1]}
                  yDomain={[0, 1]}
                  diagonal
                  testId="roc-chart"
                />
                <LineChart
                  title={`PRO curve of the ${mapType} map${defectType ? ` on ${defectType}` : ''}`}
                  series={[{ name: 'PRO', color: '#1f8a4c', points: points(curves.value.pro) }]}
                  xLabel="False positive rate (AUPRO integrates up to 0.3)"
                  yLabel="Per-region overlap"
                  xDomain={[0, 0.3]}
                  yDomain={[0, 1]}
                  testId="pro-chart"
                />
              </div>
            )}
          </section>
          <MetricsByDefect evaluation={selected} mapType={mapType} />
        </>
      )}
      <section className="panel">
        <h2>Image scores</h2>
        {!scores.ok ? (
          <ErrorState message={scores.message} />
        ) : scores.value.length === 0 ? (
          <p className="muted">No scored images yet.</p>
        ) : (
          <Histogram
            title="Image scores of normal and anomalous test images"
            groups={[
              {
                name: 'Normal',
                color: '#1f8a4c',
                values: scores.value.filter((s) => s.label === 'NORMAL').map((s) => s.score),
              },
              {
                name: 'Anomalous',
                color: '#c62d3a',
                values: scores.value.filter((s) => s.label === 'ANOMALOUS').map((s) => s.score),
              },
            ]}
            xLabel="Anomaly score (attention map)"
            testId="score-histogram"
          />
        )}
      </section>
    </>
  );
}

function Summary({ evaluation, previous }: { evaluation: EvaluationDetail; previous: EvaluationDetail | null }) {
  const images = evaluation.images;
  return (
    <section className="panel stat-row" data-testid="evaluation-summary" data-evaluation={evaluation.id}>
      <div className="stat">
        <span className="value">{images ? count(images.normal) : '—'}</span>
        <span className="label">Normal test images</span>
      </div>
      <div className="stat">
        <span className="value">{images ? count(images.anomalous) : '—'}</span>
        <span className="label">Anomalous</span>
      </div>
      <div className="stat">
        <span className="value">{count(evaluation.maskCount)}</span>
        <span className="label">Approved masks used</span>
      </div>
      <div className="stat">
        <span className="value">{images ? count(images.withoutMask) : '—'}</span>
        <span className="label">Anomalous without a mask</span>
      </div>
      <div className="stat">
        <span className="value" style={{ fontSize: '0.95rem' }}>
          {dateTime(evaluation.finishedAt ?? evaluation.createdAt)}
        </span>
        <span className="label">
          Evaluated{previous ? ` (compared with ${dateTime(previous.finishedAt ?? previous.createdAt)})` : ''}
        </span>
      </div>
    </section>
  );
}

function Delta({ value }: { value: number | null }) {
  if (value === null || Math.abs(value) < 5e-4) return null;
  return (
    <span className={value > 0 ? 'delta-up small' : 'delta-down small'} title="Change from the previous evaluation">
      {' '}
      {value > 0 ? '+' : '−'}
      {Math.abs(value).toFixed(3)}
    </span>
  );
}

function MetricCells({ metrics, previous }: { metrics: MetricSet; previous?: MetricSet | null }) {
  return (
    <>
      {METRICS.map((entry) => (
        <td key={entry.key} className="num" data-metric={entry.key} data-value={metrics[entry.key] ?? ''}>
          {metric(metrics[entry.key])}
          {previous ? <Delta value={delta(metrics[entry.key], previous[entry.key])} /> : null}
        </td>
      ))}
    </>
  );
}

function MetricHeader({ first }: { first: string }) {
  return (
    <tr>
      <th>{first}</th>
      {METRICS.map((entry) => (
        <th key={entry.key} className="num" title={entry.hint}>
          {entry.label}
        </th>
      ))}
    </tr>
  );
}

function MetricsByMap({ evaluation, previous }: { evaluation: EvaluationDetail; previous: EvaluationDetail | null }) {
  return (
    <section className="panel">
      <h2>By map type</h2>
      <div className="table-wrap">
        <table className="data" data-testid="metrics-by-map">
          <thead>
            <MetricHeader first="Map" />
          </thead>
          <tbody>
            {evaluation.metrics.map((entry) => (
              <tr key={entry.mapType} data-map={entry.mapType}>
                <td>
                  {entry.mapType}
                  {entry.mapType === 'attention' ? <span className="muted small"> (main)</span> : null}
                </td>
                <MetricCells
                  metrics={entry.overall}
                  previous={previous?.metrics.find((old) => old.mapType === entry.mapType)?.overall}
                />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function MetricsByDefect({ evaluation, mapType }: { evaluation: EvaluationDetail; mapType: string }) {
  const map = evaluation.metrics.find((entry) => entry.mapType === mapType);
  if (!map || map.perDefect.length === 0) return null;
  const counts = new Map(evaluation.images?.perDefect.map((entry) => [entry.defectType, entry.count]) ?? []);
  return (
    <section className="panel">
      <h2>By defect type ({mapType} map)</h2>
      <p className="muted small">Each defect type&apos;s images against all normal test images.</p>
      <div className="table-wrap">
        <table className="data" data-testid="metrics-by-defect">
          <thead>
            <MetricHeader first="Defect type (images)" />
          </thead>
          <tbody>
            {map.perDefect.map((entry) => (
              <tr key={entry.defectType}>
                <td>
                  {entry.defectType} <span className="muted small">({counts.get(entry.defectType) ?? '?'})</span>
                </td>
                <MetricCells metrics={entry.metrics} />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

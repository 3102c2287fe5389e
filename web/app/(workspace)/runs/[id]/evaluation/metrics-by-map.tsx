import type { EvaluationDetail } from '@/lib/domain/evaluations';
import { MetricCells } from './metric-cells';
import { MetricTable } from './metric-table';

/** Every map type's overall metrics, with their change from the previous evaluation. */
export function MetricsByMap({
  evaluation,
  previous,
}: {
  evaluation: EvaluationDetail;
  previous: EvaluationDetail | null;
}) {
  return (
    <section className="panel">
      <h2>By map type</h2>
      <MetricTable testId="metrics-by-map" first="Map">
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
      </MetricTable>
    </section>
  );
}

import type { EvaluationDetail } from '@/lib/domain/evaluations';
import { MetricCells } from './metric-cells';
import { MetricTable } from './metric-table';

/** One map type's metrics per defect type, with how many images each has. */
export function MetricsByDefect({ evaluation, mapType }: { evaluation: EvaluationDetail; mapType: string }) {
  const map = evaluation.metrics.find((entry) => entry.mapType === mapType);
  if (!map || map.perDefect.length === 0) return null;
  const counts = new Map(evaluation.images?.perDefect.map((entry) => [entry.defectType, entry.count]) ?? []);
  return (
    <section className="panel">
      <h2>By defect type ({mapType} map)</h2>
      <p className="muted small">Each defect type&apos;s images against all normal test images.</p>
      <MetricTable testId="metrics-by-defect" first="Defect type (images)">
        {map.perDefect.map((entry) => (
          <tr key={entry.defectType}>
            <td>
              {entry.defectType} <span className="muted small">({counts.get(entry.defectType) ?? '?'})</span>
            </td>
            <MetricCells metrics={entry.metrics} />
          </tr>
        ))}
      </MetricTable>
    </section>
  );
}

import { delta, METRICS, type MetricSet } from '@/lib/domain/evaluations';
import { metric } from '@/lib/format';
import { Delta } from './delta';

/** One table cell per metric, with its change from `previous` when given. */
export function MetricCells({ metrics, previous }: { metrics: MetricSet; previous?: MetricSet | null }) {
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

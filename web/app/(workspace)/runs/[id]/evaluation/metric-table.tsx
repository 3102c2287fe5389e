import type { ReactNode } from 'react';

import { DataTable } from '@/components/ui';
import { METRICS } from '@/lib/domain/evaluations';

/** A table of metrics: the first column names each row (`first` is its heading), then one column per metric. */
export function MetricTable({ testId, first, children }: { testId: string; first: string; children: ReactNode }) {
  return (
    <DataTable testId={testId}>
      <thead>
        <tr>
          <th>{first}</th>
          {METRICS.map((entry) => (
            <th key={entry.key} className="num" title={entry.hint}>
              {entry.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </DataTable>
  );
}

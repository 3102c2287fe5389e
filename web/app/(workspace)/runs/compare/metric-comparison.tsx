import { Fragment } from 'react';

import { DataTable } from '@/components/ui';
import { RUN_COLOURS, type MetricGroup } from '@/lib/domain/compare';
import { metric } from '@/lib/format';

/** Metrics of the runs side by side, a group of rows per map (or defect) type; the best of each row is marked. */
export function MetricComparison({
  title,
  testId,
  labels,
  groups,
  empty,
}: {
  title: string;
  testId: string;
  labels: string[];
  groups: MetricGroup[];
  empty: string;
}) {
  return (
    <section className="panel">
      <h2>{title}</h2>
      {groups.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <DataTable testId={testId}>
          <thead>
            <tr>
              <th>Metric</th>
              {labels.map((label, index) => (
                <th key={index} className="num">
                  <span className="swatch" style={{ background: RUN_COLOURS[index] }} /> {label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {groups.map((group) => (
              <Fragment key={group.name}>
                <tr className="group-head">
                  <th colSpan={labels.length + 1} scope="rowgroup">
                    {group.name}
                  </th>
                </tr>
                {group.rows.map((row) => (
                  <tr key={row.key} data-group={group.name} data-metric={row.key}>
                    <td title={row.hint}>{row.label}</td>
                    {row.values.map((value, index) => {
                      const best = row.best.includes(index);
                      return (
                        <td
                          key={index}
                          className={best ? 'num best' : 'num'}
                          data-value={value ?? ''}
                          data-best={best || undefined}
                        >
                          {metric(value)}
                          {best ? <span aria-label="best"> ★</span> : null}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </Fragment>
            ))}
          </tbody>
        </DataTable>
      )}
    </section>
  );
}

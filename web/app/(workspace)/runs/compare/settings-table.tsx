'use client';

import { useState } from 'react';

import { DataTable } from '@/components/ui';
import type { SettingRow } from '@/lib/domain/compare';

/** The runs' resolved settings side by side; rows where they differ are marked, and can be shown alone. */
export function SettingsTable({ runs, rows }: { runs: { id: string; label: string }[]; rows: SettingRow[] }) {
  const differing = rows.filter((row) => row.differs).length;
  const [onlyDifferences, setOnlyDifferences] = useState(false);
  const shown = onlyDifferences ? rows.filter((row) => row.differs) : rows;
  return (
    <section className="panel">
      <div className="row">
        <h2 style={{ margin: 0 }}>Settings</h2>
        <span className="muted small" data-testid="settings-differences">
          {differing === 0 ? 'The same in every run.' : `${differing} of ${rows.length} differ, marked.`}
        </span>
        <span className="spacer" />
        <label className="row small">
          <input
            type="checkbox"
            checked={onlyDifferences}
            onChange={(event) => setOnlyDifferences(event.target.checked)}
            name="onlyDifferences"
          />
          Only differences
        </label>
      </div>
      <DataTable testId="compare-settings">
        <thead>
          <tr>
            <th>Setting</th>
            {runs.map((run) => (
              <th key={run.id}>{run.label}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {shown.map((row) => (
            <tr
              key={row.key}
              data-setting={row.key}
              data-differs={row.differs || undefined}
              className={row.differs ? 'differs' : undefined}
            >
              <td className="mono">
                {row.differs ? <span className="visually-hidden">Differs: </span> : null}
                {row.key}
              </td>
              {row.values.map((value, index) => (
                <td key={runs[index]!.id} className="mono free-text">
                  {value ?? <span className="muted">not set</span>}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </DataTable>
    </section>
  );
}

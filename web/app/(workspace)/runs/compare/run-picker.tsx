'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';

import { compareHref, MAX_COMPARED } from '@/lib/domain/compare';
import type { RunStatus } from '@/lib/graphql/generated';
import { dateTime } from '@/lib/format';

/** The dataset's runs to tick: succeeded ones can be compared (the others have no results to compare). */
export function RunPicker({
  runs,
  selected,
}: {
  runs: { id: string; label: string; status: RunStatus; createdAt: string }[];
  selected: string[];
}) {
  const router = useRouter();
  const [chosen, setChosen] = useState<string[]>(selected);
  const [pending, startTransition] = useTransition();
  const comparable = runs.filter((run) => run.status === 'SUCCEEDED');
  function toggle(id: string, on: boolean) {
    // In the list's order, so that the columns keep their places when one is added.
    setChosen((now) => runs.map((run) => run.id).filter((runId) => (runId === id ? on : now.includes(runId))));
  }
  const changed = chosen.join(',') !== selected.join(',');
  return (
    <section className="panel" data-testid="run-picker" aria-busy={pending}>
      <div className="row">
        <h2 style={{ margin: 0 }}>Runs</h2>
        <span className="muted small">
          {comparable.length < 2
            ? 'Two succeeded runs of the dataset are needed to compare.'
            : `Tick 2 to ${MAX_COMPARED} succeeded runs.`}
        </span>
      </div>
      <div className="compare-picker">
        {runs.map((run) => (
          <label
            key={run.id}
            className="compare-pick"
            title={run.status === 'SUCCEEDED' ? undefined : `${run.status.toLowerCase()}: nothing to compare yet`}
          >
            <input
              type="checkbox"
              name="runs"
              value={run.id}
              checked={chosen.includes(run.id)}
              disabled={run.status !== 'SUCCEEDED' && !chosen.includes(run.id)}
              onChange={(event) => toggle(run.id, event.target.checked)}
            />
            <span>{run.label}</span>
            <span className="muted small">{dateTime(run.createdAt)}</span>
          </label>
        ))}
      </div>
      <div className="row" style={{ marginTop: '0.5rem' }}>
        <button
          type="button"
          className="button primary"
          disabled={chosen.length < 2 || chosen.length > MAX_COMPARED || !changed || pending}
          onClick={() => startTransition(() => router.push(compareHref(chosen)))}
        >
          Compare {chosen.length} runs
        </button>
        {chosen.length > MAX_COMPARED ? (
          <span className="small" role="alert" style={{ color: 'var(--danger)' }}>
            At most {MAX_COMPARED} runs at a time.
          </span>
        ) : null}
      </div>
    </section>
  );
}

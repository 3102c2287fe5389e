import type { Metadata } from 'next';
import Link from 'next/link';

import { DataTable, EmptyPanel, ErrorState, ProgressBar, RunStatusBadge } from '@/components/ui';
import { isActive, listRuns, runName } from '@/lib/domain/runs';
import { count, dateTime, percent } from '@/lib/format';
import { load, requireSession } from '@/lib/server-data';
import { CompareCheckbox, CompareForm } from './compare-selection';
import { RefreshWhileActive } from './refresh-while-active';

export const metadata: Metadata = { title: 'Runs' };

export default async function RunsPage({ searchParams }: { searchParams: Promise<{ dataset?: string }> }) {
  const { dataset } = await searchParams;
  const datasetId = typeof dataset === 'string' && dataset ? dataset : undefined;
  const [session, runs] = await Promise.all([requireSession(), load((client) => listRuns(client, datasetId))]);
  const admin = session.ok && session.value.can.admin;
  const active = runs.ok && runs.value.runs.some((run) => isActive(run.status));
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Runs</h1>
          <p>
            {datasetId && runs.ok && runs.value.runs[0]
              ? `Runs on ${runs.value.runs[0].dataset.name}, newest first.`
              : 'Training, explanation and evaluation runs, newest first.'}
            {datasetId ? (
              <>
                {' '}
                <Link href="/runs">Show all runs</Link>
              </>
            ) : null}
          </p>
        </div>
        {admin ? (
          <Link className="button primary" href={datasetId ? `/runs/new?dataset=${datasetId}` : '/runs/new'}>
            Launch a run
          </Link>
        ) : null}
      </div>
      <RefreshWhileActive active={active} />
      {!runs.ok ? (
        <ErrorState message={runs.message} />
      ) : runs.value.runs.length === 0 ? (
        <EmptyPanel title="No runs yet">
          <p>{admin ? 'Launch one to train a model on a dataset.' : 'Runs that admins launch appear here.'}</p>
        </EmptyPanel>
      ) : (
        <>
          <DataTable testId="runs">
            <thead>
              <tr>
                <th aria-label="Compare" />
                <th>Run</th>
                <th>Dataset</th>
                <th>Status</th>
                <th style={{ width: 220 }}>Progress</th>
                <th className="num">Results</th>
                <th>Started</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {runs.value.runs.map((run) => (
                <tr key={run.id}>
                  <td>
                    <CompareCheckbox run={run} />
                  </td>
                  <td>
                    <Link href={`/runs/${run.id}`}>{runName(run)}</Link>
                    {run.error ? (
                      <div className="small" style={{ color: 'var(--danger)' }}>
                        {run.error}
                      </div>
                    ) : null}
                  </td>
                  <td>
                    <Link href={`/datasets/${run.dataset.id}`}>{run.dataset.name}</Link>
                  </td>
                  <td>
                    <RunStatusBadge status={run.status} />
                  </td>
                  <td>
                    <div className="row" style={{ flexWrap: 'nowrap' }}>
                      <ProgressBar value={run.progress} label={`Progress of ${run.name || run.id}`} />
                      <span className="small muted">{percent(run.progress)}</span>
                    </div>
                    {isActive(run.status) ? <div className="small muted">{run.phase}</div> : null}
                  </td>
                  <td className="num">{count(run.resultCount)}</td>
                  <td className="small muted">{dateTime(run.startedAt ?? run.createdAt)}</td>
                  <td className="num">
                    {run.status === 'SUCCEEDED' ? (
                      <span className="row" style={{ justifyContent: 'flex-end' }}>
                        <Link href={`/runs/${run.id}/results`}>Results</Link>
                        <Link href={`/runs/${run.id}/evaluation`}>Evaluation</Link>
                      </span>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </DataTable>
          {runs.value.runs.filter((run) => run.status === 'SUCCEEDED').length >= 2 ? <CompareForm /> : null}
          {runs.value.totalCount > runs.value.runs.length ? (
            <p className="muted small">
              Showing the newest {runs.value.runs.length} of {count(runs.value.totalCount)} runs.
            </p>
          ) : null}
        </>
      )}
    </>
  );
}

import type { Metadata } from 'next';
import Link from 'next/link';

import { ErrorState } from '@/components/ui';
import { compareHref } from '@/lib/domain/compare';
import { runDecisionView, runOutcomes, whyNoDecision } from '@/lib/domain/decisions';
import { getRun, runName } from '@/lib/domain/runs';
import { dateTime } from '@/lib/format';
import { found, load, requireSession } from '@/lib/server-data';
import { OutcomeLinks } from './decision-summary';
import { ExportRunPanel } from './export-run-panel';
import { PredictPanel } from './predict-panel';
import { RunHousekeeping } from './run-housekeeping';
import { RunMonitor } from './run-monitor';
import { ThresholdPanel } from './threshold-panel';

export const metadata: Metadata = { title: 'Run' };

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const [session, run, decision] = await Promise.all([
    requireSession(),
    load((client) => getRun(client, id)),
    load((client) => runDecisionView(client, id)),
  ]);
  if (!run.ok) return <ErrorState message={run.message} />;
  const value = found(run.value);
  // Outcomes need a decision: the API refuses verdict filters without one.
  const outcomes = decision.ok && decision.value.decision ? await load((client) => runOutcomes(client, id)) : null;
  const isAdmin = session.ok && session.value.can.admin;
  const canAnnotate = session.ok && session.value.can.annotate;
  const options = Object.entries(value.options).filter(([, option]) => option !== null);
  return (
    <>
      <div className="page-head">
        <div>
          <div className="crumbs">
            <Link href="/runs">Runs</Link> / <Link href={`/datasets/${value.dataset.id}`}>{value.dataset.name}</Link> /
          </div>
          <h1>{runName(value)}</h1>
          <p>
            Launched {dateTime(value.createdAt)}
            {value.createdBy ? ` by ${value.createdBy.name}` : ''}
          </p>
        </div>
        <div className="row">
          {value.status === 'SUCCEEDED' ? (
            <Link className="button" href={compareHref([value.id])} data-testid="compare-run">
              Compare…
            </Link>
          ) : null}
          {isAdmin ? (
            <Link className="button" href={`/runs/new?from=${value.id}`} data-testid="launch-again">
              Launch again…
            </Link>
          ) : null}
          {isAdmin ? <RunHousekeeping id={value.id} name={value.name} datasetId={value.dataset.id} /> : null}
        </div>
      </div>
      <RunMonitor initial={value} canCancel={isAdmin} />
      {decision.ok ? (
        <ThresholdPanel view={decision.value} why={whyNoDecision(decision.value)} canAdjust={isAdmin}>
          {outcomes?.ok ? <OutcomeLinks runId={value.id} outcomes={outcomes.value} /> : null}
          {outcomes && !outcomes.ok ? (
            <ErrorState title="The outcomes could not be counted" message={outcomes.message} />
          ) : null}
        </ThresholdPanel>
      ) : (
        <ErrorState title="The run's decision could not be loaded" message={decision.message} />
      )}
      {isAdmin ? <ExportRunPanel run={{ id: value.id, name: value.name, status: value.status }} /> : null}
      {canAnnotate && value.status === 'SUCCEEDED' ? (
        <PredictPanel runId={value.id} datasetId={value.dataset.id} />
      ) : null}
      <section className="panel">
        <h2>Options</h2>
        {options.length === 0 ? (
          <p className="muted">The preset&apos;s defaults.</p>
        ) : (
          <dl className="keys" style={{ fontSize: '0.9rem' }}>
            {options.map(([key, option]) => (
              <div key={key} style={{ display: 'contents' }}>
                <dt>{key}</dt>
                <dd style={{ margin: 0, color: 'var(--ink)' }} className="mono">
                  {JSON.stringify(option)}
                </dd>
              </div>
            ))}
          </dl>
        )}
      </section>
    </>
  );
}

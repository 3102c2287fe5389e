import type { Metadata } from 'next';
import Link from 'next/link';

import { ErrorState } from '@/components/ui';
import { runDecisionView, runOutcomes, whyNoDecision } from '@/lib/domain/decisions';
import { listKey, parseResultQuery, resultGallery } from '@/lib/domain/results';
import { load } from '@/lib/server-data';
import { DecisionSummary } from '../decision-summary';
import { RunPageHead } from '../run-page-head';
import { ResultFilters } from './result-filters';
import { ResultGallery } from './result-gallery';

export const metadata: Metadata = { title: 'Results' };

export default async function ResultsPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [{ id }, search] = await Promise.all([params, searchParams]);
  const asked = parseResultQuery(search);
  // The API refuses verdict filters for a run without a decision, so a list filtered by verdict waits for the
  // decision; an unfiltered one is read beside it.
  const [view, unfiltered] = await Promise.all([
    load((client) => runDecisionView(client, id)),
    asked.verdict ? null : load((client) => resultGallery(client, id, asked, null)),
  ]);
  if (!view.ok) return <ErrorState message={view.message} />;
  const { decision } = view.value;
  const query = decision ? asked : { ...asked, verdict: undefined };
  const [gallery, outcomes] = await Promise.all([
    unfiltered ?? load((client) => resultGallery(client, id, query, null)),
    decision ? load((client) => runOutcomes(client, id)) : null,
  ]);
  if (!gallery.ok) return <ErrorState message={gallery.message} />;
  if (outcomes && !outcomes.ok) return <ErrorState message={outcomes.message} />;
  const { run } = gallery.value;
  return (
    <>
      <RunPageHead run={run} title="Results" sibling={{ href: `/runs/${run.id}/evaluation`, label: 'Evaluation' }}>
        Test images of <Link href={`/datasets/${run.dataset.id}`}>{run.dataset.name}</Link> by anomaly score (the
        attention map&apos;s image score).
      </RunPageHead>
      <DecisionSummary
        runId={run.id}
        decision={decision}
        outcomes={outcomes?.value ?? null}
        why={whyNoDecision(view.value)}
      />
      <ResultFilters query={query} defectTypes={run.dataset.defectTypes} decided={decision !== null} />
      <ResultGallery
        key={listKey(query)}
        runId={run.id}
        runStatus={run.status}
        query={query}
        initial={{
          results: gallery.value.results,
          totalCount: gallery.value.totalCount,
          endCursor: gallery.value.endCursor,
          hasNextPage: gallery.value.hasNextPage,
        }}
      />
    </>
  );
}

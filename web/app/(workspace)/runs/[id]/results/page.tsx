import type { Metadata } from 'next';
import Link from 'next/link';

import { ErrorState } from '@/components/ui';
import { parseResultQuery, resultGallery, resultQueryToSearch } from '@/lib/domain/results';
import { load } from '@/lib/server-data';
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
  const query = parseResultQuery(search);
  const gallery = await load((client) => resultGallery(client, id, query, null));
  if (!gallery.ok) return <ErrorState message={gallery.message} />;
  const { run } = gallery.value;
  return (
    <>
      <RunPageHead run={run} title="Results" sibling={{ href: `/runs/${run.id}/evaluation`, label: 'Evaluation' }}>
        Test images of <Link href={`/datasets/${run.dataset.id}`}>{run.dataset.name}</Link> by anomaly score (the
        attention map&apos;s image score).
      </RunPageHead>
      <ResultFilters query={query} defectTypes={run.dataset.defectTypes} />
      <ResultGallery
        key={resultQueryToSearch(query).toString()}
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

import type { Metadata } from 'next';
import Link from 'next/link';

import { ErrorState } from '@/components/ui';
import { parseResultQuery, resultGallery, resultQueryToSearch } from '@/lib/domain/results';
import { load } from '@/lib/server-data';
import { ResultFilters, ResultGallery } from './result-gallery';

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
      <div className="page-head">
        <div>
          <div className="crumbs">
            <Link href="/runs">Runs</Link> /{' '}
            <Link href={`/runs/${run.id}`}>{run.name || `Run ${run.id.slice(0, 8)}`}</Link> /
          </div>
          <h1>Results</h1>
          <p>
            Test images of <Link href={`/datasets/${run.dataset.id}`}>{run.dataset.name}</Link> by anomaly score (the
            attention map&apos;s image score).
          </p>
        </div>
        <Link className="button" href={`/runs/${run.id}/evaluation`}>
          Evaluation
        </Link>
      </div>
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

import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';

import { ErrorState } from '@/components/ui';
import { editorSearch } from '@/lib/domain/masks';
import { parseResultQuery, resultInContext, resultQueryToSearch } from '@/lib/domain/results';
import { runName } from '@/lib/domain/runs';
import { load, requireSession } from '@/lib/server-data';
import { ResultViewer } from './result-viewer';

export const metadata: Metadata = { title: 'Result' };

export default async function ResultPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string; resultId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [{ id, resultId }, search] = await Promise.all([params, searchParams]);
  const query = parseResultQuery(search);
  const [session, context] = await Promise.all([
    requireSession(),
    load((client) => resultInContext(client, id, resultId, query)),
  ]);
  if (!context.ok) return <ErrorState message={context.message} />;
  if (!context.value) notFound();
  const { run, result, colourMaps, index, total, previousId, nextId } = context.value;
  const filters = resultQueryToSearch({ ...query, order: 'SCORE_DESC' }).toString();
  const href = (targetId: string | null) =>
    targetId ? `/runs/${run.id}/results/${targetId}${filters ? `?${filters}` : ''}` : null;
  return (
    <>
      <div className="page-head">
        <div>
          <div className="crumbs">
            <Link href="/runs">Runs</Link> / <Link href={`/runs/${run.id}`}>{runName(run)}</Link> /{' '}
            <Link href={`/runs/${run.id}/results${filters ? `?${filters}` : ''}`}>Results</Link> /
          </div>
          <h1 className="mono" style={{ fontSize: '1.2rem' }}>
            {result.image.name}
          </h1>
          <p>
            #{index + 1} of {total} by anomaly score
          </p>
        </div>
      </div>
      <ResultViewer
        key={result.id}
        editorHref={`/annotate/${result.image.id}?${editorSearch({ kind: 'run', runId: run.id, label: query.label, defectType: query.defectType })}`}
        result={result}
        decision={run.decision}
        evaluation={run.latestEvaluation}
        colourMaps={colourMaps}
        initialMapType={typeof search.map === 'string' ? search.map : undefined}
        previousHref={href(previousId)}
        nextHref={href(nextId)}
        canAnnotate={session.ok && session.value.can.annotate}
      />
    </>
  );
}

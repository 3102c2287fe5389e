import type { Metadata } from 'next';
import Link from 'next/link';

import { DataTable, EmptyPanel, ErrorState } from '@/components/ui';
import { myQueue, queuedEditorHref, queueState } from '@/lib/domain/assignments';
import { count } from '@/lib/format';
import { load, requireSession } from '@/lib/server-data';

export const metadata: Metadata = { title: 'My queue' };

export default async function MyQueuePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const search = await searchParams;
  const after = typeof search.after === 'string' && search.after ? search.after : null;
  const session = await requireSession();
  if (session.ok && !session.value.can.annotate) {
    return <ErrorState title="Annotators only" message="Viewers are not given images to annotate." />;
  }
  const queue = await load((client) => myQueue(client, after));
  if (!queue.ok) return <ErrorState message={queue.message} />;
  const { images, totalCount, nextCursor } = queue.value;
  const first = images[0];
  return (
    <>
      <div className="page-head">
        <div>
          <h1>My queue</h1>
          <p data-testid="queue-summary">
            {totalCount === 0
              ? 'Nothing is assigned to you right now.'
              : `${count(totalCount)} image${totalCount === 1 ? '' : 's'} assigned to you to annotate.`}{' '}
            An image leaves the queue once you submit its mask, and comes back if a reviewer rejects it.
          </p>
        </div>
        {first ? (
          <Link className="button primary" href={queuedEditorHref(first)}>
            Start with {first.name}
          </Link>
        ) : null}
      </div>
      {images.length === 0 ? (
        <EmptyPanel title={after ? 'No more images' : 'Your queue is empty'}>
          <p>An admin assigns images to annotators from a dataset&apos;s page.</p>
        </EmptyPanel>
      ) : (
        <DataTable testId="my-queue">
          <thead>
            <tr>
              <th />
              <th>Image</th>
              <th>Dataset</th>
              <th>State</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {images.map((image) => (
              <tr key={image.id} data-image-id={image.id}>
                <td>
                  <img className="thumb" src={image.thumbnailUrl} alt="" loading="lazy" />
                </td>
                <td className="free-text">{image.name}</td>
                <td className="free-text">
                  <Link href={`/datasets/${image.dataset.id}`}>{image.dataset.name}</Link>
                </td>
                <td className="free-text small">{queueState(image)}</td>
                <td className="num">
                  <Link className="button" href={queuedEditorHref(image)}>
                    Annotate
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
      {nextCursor ? (
        <div className="row" style={{ marginTop: '0.75rem' }}>
          <Link className="button" href={`/queue?${new URLSearchParams({ after: nextCursor })}`}>
            Next page
          </Link>
        </div>
      ) : null}
    </>
  );
}

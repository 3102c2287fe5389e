import type { Metadata } from 'next';
import Link from 'next/link';

import { ErrorState, LabelBadge, MaskStatusBadge } from '@/components/ui';
import { datasetEditorHref } from '@/lib/domain/assignments';
import { maskForReview, parseReviewOrder, reviewBlocker, reviewHref } from '@/lib/domain/review';
import { count, dateTime } from '@/lib/format';
import { found, load, requireSession } from '@/lib/server-data';
import { ReviewedNotice } from '../reviewed-notice';
import { ReviewActions } from './review-actions';

export const metadata: Metadata = { title: 'Review a mask' };

export default async function ReviewMaskPage({
  params,
  searchParams,
}: {
  params: Promise<{ maskId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [{ maskId }, search] = await Promise.all([params, searchParams]);
  const order = parseReviewOrder(search.order);
  const session = await requireSession();
  if (!session.ok) return <ErrorState message={session.message} />;
  if (!session.value.can.admin) {
    return <ErrorState title="Admins only" message="Masks are reviewed by admins." />;
  }
  const view = await load((client) => maskForReview(client, maskId));
  if (!view.ok) return <ErrorState message={view.message} />;
  const mask = found(view.value.mask);
  const { image } = mask;
  const blocker = reviewBlocker(view.value, session.value.user.id);
  const inbox = reviewHref('/review', order);
  return (
    <>
      <div className="page-head">
        <div>
          <div className="crumbs">
            <Link href={inbox}>Review</Link> ({count(view.value.waiting)} waiting) /{' '}
            <Link href={`/datasets/${image.dataset.id}`}>{image.dataset.name}</Link> /
          </div>
          <h1 data-testid="review-image-name">{image.name}</h1>
          <p>
            Mask v{mask.version} <MaskStatusBadge status={mask.status} /> by {mask.author?.name ?? 'a deleted user'},
            saved {dateTime(mask.createdAt)} · {count(mask.defectPixels)} mask pixels of{' '}
            {count(mask.width * mask.height)} · <LabelBadge label={image.label} defectType={image.defectType} />
          </p>
        </div>
        <div className="row">
          <Link className="button" href={datasetEditorHref(image)}>
            Open in the editor
          </Link>
        </div>
      </div>
      <ReviewedNotice search={search} />
      <div className="review-layout">
        <section className="panel review-figures" aria-label="Image and mask">
          <figure>
            <figcaption>Image with the mask in red</figcaption>
            <div className="mask-overlay" data-testid="review-overlay">
              <img src={image.url} alt={`${image.name} with its mask`} width={image.width} height={image.height} />
              <div
                className="mask"
                style={{ maskImage: `url("${mask.url}")`, WebkitMaskImage: `url("${mask.url}")` }}
              />
            </div>
          </figure>
          <figure>
            <figcaption>Image alone</figcaption>
            <div className="mask-overlay">
              <img src={image.url} alt={image.name} width={image.width} height={image.height} />
            </div>
          </figure>
        </section>
        <aside className="stack">
          <ReviewActions key={mask.id} maskId={mask.id} imageName={image.name} order={order} blocker={blocker} />
          {mask.reviews.length > 0 ? (
            <section className="panel" aria-label="Earlier decisions">
              <h3>Earlier decisions on v{mask.version}</h3>
              <ul className="review-history">
                {mask.reviews.map((review) => (
                  <li key={review.id}>
                    <strong>{review.decision === 'APPROVE' ? 'Approved' : 'Rejected'}</strong> by{' '}
                    {review.reviewer?.name ?? 'a deleted user'}, {dateTime(review.createdAt)}
                    {review.comment ? <div className="muted">“{review.comment}”</div> : null}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </aside>
      </div>
    </>
  );
}

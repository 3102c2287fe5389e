'use client';

import Link from 'next/link';
import { useState } from 'react';

import { EmptyState, LabelBadge } from '@/components/ui';
import { resultGallery, resultQueryToSearch, type ResultCard, type ResultQuery } from '@/lib/domain/results';
import { browserClient } from '@/lib/graphql/browser';
import { describeError } from '@/lib/graphql/client';
import type { RunStatus } from '@/lib/graphql/generated';
import { count, score } from '@/lib/format';

interface GalleryPage {
  results: ResultCard[];
  totalCount: number;
  endCursor: string | null;
  hasNextPage: boolean;
}

export function ResultGallery({
  runId,
  runStatus,
  query,
  initial,
}: {
  runId: string;
  runStatus: RunStatus;
  query: ResultQuery;
  initial: GalleryPage;
}) {
  const [page, setPage] = useState(initial);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function more() {
    setLoading(true);
    setError(null);
    try {
      const next = await resultGallery(browserClient, runId, query, page.endCursor);
      setPage((previous) => ({
        results: [...previous.results, ...next.results],
        totalCount: next.totalCount,
        endCursor: next.endCursor,
        hasNextPage: next.hasNextPage,
      }));
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setLoading(false);
    }
  }

  if (page.totalCount === 0) {
    return (
      <div className="panel">
        <EmptyState title="No results">
          <p>
            {runStatus === 'SUCCEEDED'
              ? 'No test image matches these filters.'
              : 'Results appear when the run has succeeded.'}
          </p>
        </EmptyState>
      </div>
    );
  }

  // The viewer keeps the gallery's filters, so next/previous there walk the same list.
  const filters = resultQueryToSearch({ ...query, order: 'SCORE_DESC' }).toString();
  return (
    <>
      <p className="muted small">
        {count(page.totalCount)} image{page.totalCount === 1 ? '' : 's'}
      </p>
      <div className="gallery" data-testid="result-gallery">
        {page.results.map((result, index) => (
          <Link
            key={result.id}
            className="card"
            href={`/runs/${runId}/results/${result.id}${filters ? `?${filters}` : ''}`}
            data-testid="result-card"
            data-score={result.score}
            data-label={result.image.label}
          >
            <img src={result.image.thumbnailUrl} alt={result.image.name} loading={index < 24 ? 'eager' : 'lazy'} />
            <span className="caption">
              <span className="score" title="Anomaly score">
                {score(result.score)}
              </span>
              <LabelBadge label={result.image.label} defectType={result.image.defectType} />
            </span>
            <span className="caption small muted" style={{ paddingTop: 0 }}>
              {result.image.name}
            </span>
          </Link>
        ))}
      </div>
      {error ? (
        <div className="notice error" role="alert" style={{ marginTop: '0.75rem' }}>
          {error}
        </div>
      ) : null}
      {page.hasNextPage ? (
        <div className="row" style={{ marginTop: '0.75rem' }}>
          <button onClick={() => void more()} disabled={loading}>
            {loading ? 'Loading…' : `Show more (${count(page.totalCount - page.results.length)} left)`}
          </button>
        </div>
      ) : null}
    </>
  );
}

'use client';

import Link from 'next/link';
import { useState } from 'react';

import { EmptyState, LabelBadge } from '@/components/ui';
import { MistakeBadge, ScoreReading, VerdictBadge } from '@/components/verdict';
import {
  OUTCOMES,
  queryOutcome,
  resultGallery,
  resultQueryToSearch,
  type ResultCard,
  type ResultQuery,
} from '@/lib/domain/results';
import { browserClient } from '@/lib/graphql/browser';
import { describeError } from '@/lib/graphql/client';
import type { RunStatus } from '@/lib/graphql/generated';
import { count } from '@/lib/format';

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
    const outcome = queryOutcome(query);
    return (
      <div className="panel">
        <EmptyState title={outcome && !query.defectType ? `No ${OUTCOMES[outcome].text}s` : 'No results'}>
          <p>
            {runStatus !== 'SUCCEEDED'
              ? 'Results appear when the run has succeeded.'
              : outcome === 'FALSE_POSITIVE'
                ? 'The threshold calls no normal image anomalous.'
                : outcome === 'FALSE_NEGATIVE'
                  ? 'The threshold calls no anomalous image normal.'
                  : 'No test image matches these filters.'}
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
            data-normalized-score={result.normalizedScore ?? undefined}
            data-label={result.image.label}
            data-verdict={result.verdict ?? undefined}
          >
            <Thumbnail result={result} heatmap={query.view === 'heatmap'} eager={index < 24} />
            <span className="caption">
              <ScoreReading raw={result.score} normalized={result.normalizedScore} />
              <VerdictBadge verdict={result.verdict} />
            </span>
            <span className="caption badges" style={{ paddingTop: 0 }}>
              <LabelBadge label={result.image.label} defectType={result.image.defectType} />
              <MistakeBadge label={result.image.label} verdict={result.verdict} />
            </span>
            <span className="caption small muted name" style={{ paddingTop: 0 }}>
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

/** The test image, or its attention map over it (at the image's own size: the API has no smaller overlay). */
function Thumbnail({ result, heatmap, eager }: { result: ResultCard; heatmap: boolean; eager: boolean }) {
  const overlay = heatmap ? result.attentionOverlayUrl : null;
  return (
    <img
      src={overlay ?? result.image.thumbnailUrl}
      alt={overlay ? `${result.image.name}, attention map over it` : result.image.name}
      loading={eager ? 'eager' : 'lazy'}
      decoding="async"
      data-view={overlay ? 'heatmap' : 'image'}
    />
  );
}

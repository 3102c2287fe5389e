'use client';

import { SelectField } from '@/components/fields';
import { DefectTypeFilter, LabelFilter, OptionalFilter, useQueryInUrl } from '@/components/filters';
import {
  outcomeFilters,
  queryOutcome,
  resultQueryToSearch,
  type GalleryView,
  type Outcome,
  type ResultQuery,
} from '@/lib/domain/results';
import type { Verdict } from '@/lib/graphql/generated';

const ORDERS: [ResultQuery['order'], string][] = [
  ['SCORE_DESC', 'Most anomalous first'],
  ['SCORE_ASC', 'Least anomalous first'],
];

const VERDICTS: [Verdict | '', string][] = [
  ['', 'All'],
  ['ANOMALOUS', 'Called anomalous'],
  ['NORMAL', 'Called normal'],
];

// An outcome is a label and a verdict together: choosing one sets both filters, and "All" clears both.
const OUTCOME_CHOICES: [Outcome | '', string][] = [
  ['', 'All'],
  ['FALSE_POSITIVE', 'False positives'],
  ['FALSE_NEGATIVE', 'False negatives'],
  ['TRUE_POSITIVE', 'True positives'],
  ['TRUE_NEGATIVE', 'True negatives'],
];

const VIEWS: [GalleryView, string][] = [
  ['image', 'Image'],
  ['heatmap', 'Heat map'],
];

/**
 * The gallery's filters, order and view, in the URL like every list's. Verdict filters only for a run with a
 * decision (`decided`): the API refuses them otherwise.
 */
export function ResultFilters({
  query,
  defectTypes,
  decided,
}: {
  query: ResultQuery;
  defectTypes: string[];
  decided: boolean;
}) {
  const { pending, change } = useQueryInUrl(query, resultQueryToSearch);
  return (
    <div className="filters" aria-busy={pending}>
      <LabelFilter value={query.label} onChange={(label) => change({ label })} name="label" />
      {decided ? (
        <>
          <OptionalFilter
            label="Verdict"
            options={VERDICTS}
            value={query.verdict}
            onChange={(verdict) => change({ verdict })}
            name="verdict"
          />
          <OptionalFilter
            label="Outcome"
            options={OUTCOME_CHOICES}
            value={queryOutcome(query)}
            onChange={(outcome) => change(outcomeFilters(outcome))}
            name="outcome"
          />
        </>
      ) : null}
      <DefectTypeFilter
        value={query.defectType}
        defectTypes={defectTypes}
        onChange={(defectType) => change({ defectType })}
        name="defect"
      />
      <SelectField
        label="Order"
        value={query.order}
        options={ORDERS}
        onChange={(order) => order && change({ order })}
        name="order"
      />
      <div className="field">
        Show
        <div className="segmented" role="group" aria-label="Show">
          {VIEWS.map(([view, text]) => (
            <button
              key={view}
              type="button"
              aria-pressed={query.view === view}
              onClick={() => change({ view })}
              data-testid={`view-${view}`}
            >
              {text}
            </button>
          ))}
        </div>
      </div>
      {pending ? <span className="muted small">Loading…</span> : null}
    </div>
  );
}

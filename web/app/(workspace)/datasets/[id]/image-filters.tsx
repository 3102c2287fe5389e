'use client';

import { DefectTypeFilter, LabelFilter, OptionalFilter, useQueryInUrl } from '@/components/filters';
import { imageQueryToSearch, type ImageQuery } from '@/lib/domain/datasets';
import type { Split } from '@/lib/graphql/generated';

type MaskFilter = NonNullable<ImageQuery['mask']>;

const SPLITS: [Split | '', string][] = [
  ['', 'All'],
  ['TRAIN', 'Train'],
  ['TEST', 'Test'],
];

const MASKS: [MaskFilter | '', string][] = [
  ['', 'All'],
  ['any', 'With a mask'],
  ['none', 'Without a mask'],
  ['DRAFT', 'Latest is a draft'],
  ['SUBMITTED', 'Waiting for review'],
  ['APPROVED', 'Approved'],
  ['REJECTED', 'Rejected'],
];

/** The grid's filters, in the URL like every list's. */
export function ImageFilters({ query, defectTypes }: { query: ImageQuery; defectTypes: string[] }) {
  const { pending, change } = useQueryInUrl(query, imageQueryToSearch);
  const active = Boolean(query.split || query.label || query.defectType || query.mask);
  return (
    <div className="filters" aria-busy={pending}>
      <OptionalFilter label="Split" options={SPLITS} value={query.split} onChange={(split) => change({ split })} />
      <LabelFilter value={query.label} onChange={(label) => change({ label })} />
      <DefectTypeFilter
        value={query.defectType}
        defectTypes={defectTypes}
        onChange={(defectType) => change({ defectType })}
      />
      <OptionalFilter label="Mask" options={MASKS} value={query.mask} onChange={(mask) => change({ mask })} />
      {active ? (
        <button
          type="button"
          onClick={() => change({ split: undefined, label: undefined, defectType: undefined, mask: undefined })}
        >
          Clear filters
        </button>
      ) : null}
      {pending ? <span className="muted small">Filtering…</span> : null}
    </div>
  );
}

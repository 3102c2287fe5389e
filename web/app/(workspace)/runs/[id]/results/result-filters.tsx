'use client';

import { SelectField } from '@/components/fields';
import { DefectTypeFilter, LabelFilter, useQueryInUrl } from '@/components/filters';
import { resultQueryToSearch, type ResultQuery } from '@/lib/domain/results';

const ORDERS: [ResultQuery['order'], string][] = [
  ['SCORE_DESC', 'Most anomalous first'],
  ['SCORE_ASC', 'Least anomalous first'],
];

/** The gallery's filters and order, in the URL like every list's. */
export function ResultFilters({ query, defectTypes }: { query: ResultQuery; defectTypes: string[] }) {
  const { pending, change } = useQueryInUrl(query, resultQueryToSearch);
  return (
    <div className="filters" aria-busy={pending}>
      <LabelFilter value={query.label} onChange={(label) => change({ label })} name="label" />
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
      {pending ? <span className="muted small">Loading…</span> : null}
    </div>
  );
}

'use client';

import { usePathname, useRouter } from 'next/navigation';
import { useEffect, useRef, useTransition } from 'react';

import type { ImageLabel } from '@/lib/graphql/generated';
import { SelectField } from './fields';

/**
 * Filters that live in the URL, so a filtered list can be shared, reloaded and walked with next/previous:
 * `change` replaces the address with the query patched, and `pending` is true until the page has followed.
 */
export function useQueryInUrl<Q>(query: Q, toSearch: (query: Q) => URLSearchParams) {
  const router = useRouter();
  const pathname = usePathname();
  const [pending, startTransition] = useTransition();
  // The query as last asked for: a second change before the page has followed the first builds on it, not on
  // the page's query, which would drop the first.
  const requested = useRef(query);
  useEffect(() => {
    requested.current = query;
  }, [query]);
  function change(patch: Partial<Q>) {
    requested.current = { ...requested.current, ...patch };
    const search = toSearch(requested.current).toString();
    startTransition(() => router.replace(search ? `${pathname}?${search}` : pathname, { scroll: false }));
  }
  return { pending, change };
}

/** A select whose '' option means "any": the filter is then undefined, and left out of the URL. */
export function OptionalFilter<V extends string>({
  label,
  options,
  value,
  onChange,
  name,
}: {
  label: string;
  options: readonly (readonly [V | '', string])[];
  value: V | undefined;
  onChange: (value: V | undefined) => void;
  name?: string;
}) {
  return (
    <SelectField
      label={label}
      value={value ?? ''}
      options={options}
      onChange={(choice) => onChange(choice || undefined)}
      name={name}
    />
  );
}

type FilterProps<V extends string> = Omit<Parameters<typeof OptionalFilter<V>>[0], 'label' | 'options'>;

const LABELS: [ImageLabel | '', string][] = [
  ['', 'All'],
  ['NORMAL', 'Normal'],
  ['ANOMALOUS', 'Anomalous'],
  ['UNLABELED', 'Unlabeled'],
];

export function LabelFilter(props: FilterProps<ImageLabel>) {
  return <OptionalFilter label="Label" options={LABELS} {...props} />;
}

/** The dataset's defect types, and `good` for the normal images. */
export function DefectTypeFilter({ defectTypes, ...props }: FilterProps<string> & { defectTypes: string[] }) {
  const options: [string, string][] = [
    ['', 'All'],
    ['good', 'good (normal)'],
    ...defectTypes.map((type): [string, string] => [type, type]),
  ];
  return <OptionalFilter label="Defect type" options={options} {...props} />;
}

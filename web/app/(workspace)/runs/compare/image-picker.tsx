'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useTransition } from 'react';

import { SelectField } from '@/components/fields';
import type { ImageDisagreement } from '@/lib/domain/compare';
import { metric } from '@/lib/format';

/** A choice of image: the most disputed ones as buttons with each run's reading, any image from a select. */
export function ImagePicker({
  images,
  disputed,
  labels,
  imageId,
}: {
  images: ImageDisagreement[];
  disputed: number;
  labels: string[];
  imageId: string | null;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const [pending, startTransition] = useTransition();
  function choose(id: string) {
    const next = new URLSearchParams(search.toString());
    if (id) next.set('image', id);
    else next.delete('image');
    startTransition(() => router.replace(`${pathname}?${next.toString().replaceAll('%2C', ',')}`, { scroll: false }));
  }
  if (images.length === 0) return <p className="muted">These runs scored no image in common.</p>;
  const top = images.slice(0, disputed);
  return (
    <div className="stack" aria-busy={pending} data-testid="image-picker">
      <div>
        <h3 className="small" style={{ margin: '0 0 0.35rem' }}>
          Where the runs disagree most
        </h3>
        <div className="compare-disputed">
          {top.map((image) => (
            <button
              key={image.imageId}
              type="button"
              className={image.imageId === imageId ? 'button compare-image chosen' : 'button compare-image'}
              aria-pressed={image.imageId === imageId}
              data-image-id={image.imageId}
              onClick={() => choose(image.imageId)}
              title={labels.map((label, index) => `${label}: ${metric(image.readings[index])}`).join('\n')}
            >
              <span className="mono">{image.name}</span>
              <span className="small muted">
                {image.verdictsDiffer ? 'verdicts differ · ' : ''}spread {metric(image.spread, 2)}
              </span>
            </button>
          ))}
        </div>
      </div>
      <SelectField
        label="Any test image"
        name="image"
        value={imageId ?? ''}
        options={[
          ['', 'Choose…'],
          ...images.map((image) => [image.imageId, `${image.name} (${image.defectType})`] as const),
        ]}
        onChange={(value) => choose(value)}
        className="row small"
      />
    </div>
  );
}

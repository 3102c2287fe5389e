import { Skeleton } from '@/components/ui';

export default function Loading() {
  return (
    <div className="stack" aria-busy="true" aria-label="Loading">
      <Skeleton height={26} width={160} />
      <Skeleton height={34} />
      <Skeleton height={34} />
      <Skeleton height={34} width={120} />
    </div>
  );
}

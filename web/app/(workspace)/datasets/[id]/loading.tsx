import { Skeleton } from '@/components/ui';

export default function Loading() {
  return (
    <div className="stack" aria-busy="true" aria-label="Loading">
      <Skeleton height={28} width={260} />
      <Skeleton height={64} />
      <Skeleton height={40} width={520} />
      <div className="gallery">
        {Array.from({ length: 18 }, (_, index) => (
          <Skeleton key={index} height={170} />
        ))}
      </div>
    </div>
  );
}

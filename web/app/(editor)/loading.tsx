import { Skeleton } from '@/components/ui';

export default function Loading() {
  return (
    <div className="editor" aria-busy="true" aria-label="Loading the editor">
      <div className="editor-side">
        <Skeleton height={22} width={140} />
        <Skeleton height={90} />
        <Skeleton height={60} />
      </div>
      <div className="editor-stage" />
      <div className="editor-side right">
        <Skeleton height={22} width={120} />
        <Skeleton height={120} />
      </div>
    </div>
  );
}

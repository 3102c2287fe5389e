'use client';

import { RouteError } from '@/components/route-error';

export default function EditorError(props: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="main">
      <RouteError {...props} />
    </main>
  );
}

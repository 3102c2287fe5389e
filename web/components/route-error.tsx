'use client';

import { useEffect } from 'react';

/**
 * What error.tsx files render: a message and a retry, never the error itself (in production Next only passes a
 * digest to match the server log; in development the overlay shows the details).
 */
export function RouteError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div className="panel" role="alert">
      <h2>This page could not be shown</h2>
      <p className="muted">
        Something failed while loading it. Try again; if it keeps happening, the server log has the details
        {error.digest ? (
          <>
            {' '}
            (reference <code>{error.digest}</code>)
          </>
        ) : null}
        .
      </p>
      <button className="primary" onClick={reset}>
        Try again
      </button>
    </div>
  );
}

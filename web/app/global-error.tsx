'use client';

// Last resort when the root layout itself fails: a plain page, never the error's details.
export default function GlobalError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: 'system-ui, sans-serif', padding: '2rem' }}>
        <h1>Something went wrong</h1>
        <p>The page could not be shown. Try again; if it keeps happening, the server log has the details.</p>
        <button onClick={reset}>Try again</button>
      </body>
    </html>
  );
}

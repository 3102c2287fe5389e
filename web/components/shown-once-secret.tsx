'use client';

import { useState, type ReactNode } from 'react';

/**
 * A secret the API shows once (a new API key, a webhook's signing secret), with a copy button. Give it a `key`
 * of the secret, so that "Copied" does not carry over to the next one.
 */
export function ShownOnceSecret({
  title,
  secret,
  testId,
  onDone,
}: {
  title: ReactNode;
  secret: string;
  testId: string;
  onDone: () => void;
}) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="panel stack" role="status" data-testid={testId}>
      <strong>{title}</strong>
      <div className="secret">{secret}</div>
      <div className="row">
        <button
          onClick={() =>
            void navigator.clipboard.writeText(secret).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button className="ghost" onClick={onDone}>
          I have stored it
        </button>
      </div>
    </div>
  );
}

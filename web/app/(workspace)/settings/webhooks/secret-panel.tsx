'use client';

import { useState } from 'react';

/** A webhook's new signing secret, shown once, with a copy button. */
export function SecretPanel({ url, secret, onDone }: { url: string; secret: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="panel stack" role="status" data-testid="webhook-secret">
      <strong>Signing secret of {url}: copy it into the receiver now, it will not be shown again.</strong>
      <div className="secret">{secret}</div>
      <div className="row">
        <button
          onClick={async () => {
            await navigator.clipboard.writeText(secret).then(
              () => setCopied(true),
              () => setCopied(false),
            );
          }}
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

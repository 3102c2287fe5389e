'use client';

import { useState, type FormEvent } from 'react';

import { ShownOnceSecret } from '@/components/shown-once-secret';
import { DataTable, EmptyPanel } from '@/components/ui';
import { createApiKey, revokeApiKey, type ApiKey } from '@/lib/domain/api-keys';
import { browserClient } from '@/lib/graphql/browser';
import { describeError } from '@/lib/graphql/client';
import { dateTime } from '@/lib/format';

export function ApiKeyManager({ initial }: { initial: ApiKey[] }) {
  const [keys, setKeys] = useState(initial);
  const [secret, setSecret] = useState<{ name: string; value: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    setPending(true);
    setError(null);
    try {
      const created = await createApiKey(browserClient, String(data.get('name') ?? ''), data.get('write') === 'on');
      setKeys((previous) => [created.key, ...previous]);
      setSecret({ name: created.key.name, value: created.secret });
      form.reset();
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setPending(false);
    }
  }

  async function revoke(key: ApiKey) {
    if (!window.confirm(`Revoke "${key.name}"? Tools using it stop working at once.`)) return;
    setError(null);
    try {
      const revoked = await revokeApiKey(browserClient, key.id);
      setKeys((previous) => previous.map((entry) => (entry.id === revoked.id ? revoked : entry)));
    } catch (failure) {
      setError(describeError(failure));
    }
  }

  return (
    <>
      <form className="panel row" onSubmit={create} aria-label="Create an API key">
        <label className="field" style={{ flex: 1, minWidth: 220 }}>
          Name
          <input type="text" name="name" placeholder="e.g. nightly export script" required maxLength={100} />
        </label>
        <label className="row" style={{ alignSelf: 'end', paddingBottom: '0.4rem' }}>
          <input type="checkbox" name="write" /> Allow writes
        </label>
        <button className="primary" type="submit" disabled={pending} style={{ alignSelf: 'end' }}>
          Create key
        </button>
      </form>
      {error ? (
        <div className="notice error" role="alert" style={{ marginBottom: '1rem' }}>
          {error}
        </div>
      ) : null}
      {secret ? (
        <ShownOnceSecret
          key={secret.value}
          title={<>New key &quot;{secret.name}&quot;: copy it now, it will not be shown again.</>}
          secret={secret.value}
          testId="new-api-key"
          onDone={() => setSecret(null)}
        />
      ) : null}
      {keys.length === 0 ? (
        <EmptyPanel title="No API keys">
          <p>Create one above for a script or an external tool.</p>
        </EmptyPanel>
      ) : (
        <DataTable testId="api-keys">
          <thead>
            <tr>
              <th>Name</th>
              <th>Key starts with</th>
              <th>Scopes</th>
              <th>Created</th>
              <th>Last used</th>
              <th>State</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {keys.map((key) => (
              <tr key={key.id}>
                <td className="free-text">{key.name}</td>
                <td className="mono">vad_{key.prefix}_…</td>
                <td>{key.scopes.join(' + ').toLowerCase()}</td>
                <td className="small">{dateTime(key.createdAt)}</td>
                <td className="small">{key.lastUsedAt ? dateTime(key.lastUsedAt) : 'never'}</td>
                <td>
                  {key.revokedAt ? (
                    <span className="badge danger">revoked</span>
                  ) : (
                    <span className="badge ok">active</span>
                  )}
                </td>
                <td className="num">
                  {key.revokedAt ? null : (
                    <button className="danger" onClick={() => void revoke(key)}>
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
    </>
  );
}

import type { Metadata } from 'next';

import { ErrorState } from '@/components/ui';
import { myApiKeys } from '@/lib/domain/api-keys';
import { load, requireSession } from '@/lib/server-data';
import { ApiKeyManager } from './api-key-manager';

export const metadata: Metadata = { title: 'API keys' };

export default async function ApiKeysPage() {
  const session = await requireSession();
  if (session.ok && !session.value.can.admin) {
    return <ErrorState title="Admins only" message="API keys are managed by admins. Ask one if a tool needs a key." />;
  }
  const keys = await load(myApiKeys);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>API keys</h1>
          <p>
            Keys let scripts and tools use the API as you: send <code>Authorization: Bearer &lt;key&gt;</code>. READ
            keys only read; WRITE keys act with your role.
          </p>
        </div>
      </div>
      {keys.ok ? <ApiKeyManager initial={keys.value} /> : <ErrorState message={keys.message} />}
    </>
  );
}

import type { Metadata } from 'next';

import { ErrorState } from '@/components/ui';
import { listWebhooks } from '@/lib/domain/webhooks';
import { load, requireSession } from '@/lib/server-data';
import { WebhookManager } from './webhook-manager';

export const metadata: Metadata = { title: 'Webhooks' };

export default async function WebhooksPage() {
  const session = await requireSession();
  if (session.ok && !session.value.can.admin) {
    return <ErrorState title="Admins only" message="Webhooks are managed by admins. Ask one to add an endpoint." />;
  }
  const webhooks = await load(listWebhooks);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Webhooks</h1>
          <p>
            Endpoints the platform POSTs events to as they happen: runs, evaluations, imports and exports, mask reviews.
            Each request is signed with the endpoint&apos;s secret in <code>X-VAD-Signature</code> (the API README shows
            how to check it); failed deliveries are retried with growing pauses.
          </p>
        </div>
      </div>
      {webhooks.ok ? <WebhookManager initial={webhooks.value} /> : <ErrorState message={webhooks.message} />}
    </>
  );
}

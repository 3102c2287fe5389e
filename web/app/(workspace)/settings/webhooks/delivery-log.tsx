'use client';

import { useState } from 'react';

import { DataTable } from '@/components/ui';
import { eventName, redeliverWebhookDelivery, type Webhook, type WebhookDelivery } from '@/lib/domain/webhooks';
import { browserClient } from '@/lib/graphql/browser';
import { describeError } from '@/lib/graphql/client';
import { dateTime } from '@/lib/format';

const STATUS_BADGE: Record<WebhookDelivery['status'], string> = {
  PENDING: 'badge info',
  DELIVERED: 'badge ok',
  FAILED: 'badge danger',
};

/** A webhook's latest deliveries: what was sent, how it went, and a redeliver button for each. */
export function DeliveryLog({
  webhook,
  onRefresh,
  onRedelivered,
}: {
  webhook: Webhook;
  onRefresh: () => Promise<unknown>;
  onRedelivered: () => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const deliveries = webhook.deliveries.edges.map((edge) => edge.node);

  async function run(key: string, work: () => Promise<unknown>) {
    setBusy(key);
    setError(null);
    try {
      await work();
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(null);
    }
  }

  return (
    <details className="stack" open={deliveries.length > 0} data-testid="delivery-log">
      <summary>
        Deliveries ({webhook.deliveries.totalCount}
        {webhook.deliveries.totalCount > deliveries.length ? `, latest ${deliveries.length} shown` : ''})
      </summary>
      <div className="row">
        <button className="ghost" disabled={busy !== null} onClick={() => void run('refresh', onRefresh)}>
          Refresh
        </button>
      </div>
      {error ? (
        <div className="notice error" role="alert">
          {error}
        </div>
      ) : null}
      {deliveries.length === 0 ? (
        <p className="muted small">Nothing sent yet.</p>
      ) : (
        <DataTable testId="deliveries">
          <thead>
            <tr>
              <th>Event</th>
              <th>When</th>
              <th>Status</th>
              <th>Attempts</th>
              <th>Answer</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {deliveries.map((delivery) => (
              <tr key={delivery.id} data-event={eventName(delivery.eventType)} data-status={delivery.status}>
                <td className="mono">{eventName(delivery.eventType)}</td>
                <td className="small">{dateTime(delivery.createdAt)}</td>
                <td>
                  <span className={STATUS_BADGE[delivery.status]}>{delivery.status.toLowerCase()}</span>
                </td>
                <td className="num">{delivery.attempts}</td>
                <td className="small free-text" data-testid="delivery-answer">
                  {delivery.lastResponseStatus !== null ? `HTTP ${delivery.lastResponseStatus}` : null}
                  {delivery.lastError ? (
                    <span className="muted">
                      {delivery.lastResponseStatus !== null ? ': ' : ''}
                      {delivery.lastError}
                    </span>
                  ) : null}
                  {delivery.lastAttemptAt ? (
                    <span className="muted"> ({dateTime(delivery.lastAttemptAt)})</span>
                  ) : delivery.status === 'PENDING' ? (
                    <span className="muted">waiting for a worker</span>
                  ) : null}
                </td>
                <td className="num">
                  {delivery.status === 'PENDING' ? null : (
                    <button
                      className="ghost"
                      disabled={busy !== null}
                      onClick={() =>
                        void run(delivery.id, async () => {
                          await redeliverWebhookDelivery(browserClient, delivery.id);
                          await onRefresh();
                          onRedelivered();
                        })
                      }
                    >
                      Redeliver
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
    </details>
  );
}

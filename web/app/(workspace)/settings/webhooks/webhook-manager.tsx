'use client';

import { useState } from 'react';

import { ShownOnceSecret } from '@/components/shown-once-secret';
import { EmptyPanel, Notice } from '@/components/ui';
import {
  deleteWebhook,
  getWebhook,
  rotateWebhookSecret,
  sendTestWebhook,
  setWebhookEnabled,
  type Webhook,
} from '@/lib/domain/webhooks';
import { browserClient } from '@/lib/graphql/browser';
import { describeError } from '@/lib/graphql/client';
import { CreateWebhookForm } from './create-webhook-form';
import { DeliveryLog } from './delivery-log';

type Outcome = { kind: 'ok' | 'error'; text: string };

/** How long the log is followed after a test event or a redelivery, for its outcome to show without a reload. */
const FOLLOW_MS = 30_000;
const FOLLOW_EVERY_MS = 1000;

/** The webhooks and what an admin does with them; each one's delivery log is below it. */
export function WebhookManager({ initial }: { initial: Webhook[] }) {
  const [webhooks, setWebhooks] = useState(initial);
  const [secret, setSecret] = useState<{ url: string; value: string } | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  function replace(webhook: Webhook) {
    setWebhooks((previous) => previous.map((entry) => (entry.id === webhook.id ? webhook : entry)));
  }

  async function refresh(id: string): Promise<Webhook | null> {
    const current = await getWebhook(browserClient, id);
    if (current) replace(current);
    return current;
  }

  /** Reloads the webhook's log until nothing in it is pending (or FOLLOW_MS passed). */
  async function follow(id: string) {
    for (let polls = 0; polls < FOLLOW_MS / FOLLOW_EVERY_MS; polls += 1) {
      await new Promise((resolve) => setTimeout(resolve, FOLLOW_EVERY_MS));
      const current = await refresh(id).catch(() => null);
      if (!current || current.deliveries.edges.every((edge) => edge.node.status !== 'PENDING')) return;
    }
  }

  async function act(webhook: Webhook, work: () => Promise<string>) {
    setBusy(webhook.id);
    setOutcome(null);
    try {
      setOutcome({ kind: 'ok', text: await work() });
    } catch (failure) {
      setOutcome({ kind: 'error', text: `${webhook.url}: ${describeError(failure)}` });
    } finally {
      setBusy(null);
    }
  }

  const toggle = (webhook: Webhook) =>
    act(webhook, async () => {
      const changed = await setWebhookEnabled(browserClient, webhook.id, !webhook.enabled);
      replace(changed);
      return changed.enabled
        ? `${changed.url} is enabled: new events are sent to it.`
        : `${changed.url} is disabled: no new events are recorded for it, and pending ones are not sent.`;
    });

  const remove = (webhook: Webhook) => {
    if (!window.confirm(`Delete the webhook to ${webhook.url} and its delivery log? Nothing more is sent to it.`)) {
      return;
    }
    return act(webhook, async () => {
      await deleteWebhook(browserClient, webhook.id);
      setWebhooks((previous) => previous.filter((entry) => entry.id !== webhook.id));
      return `Deleted the webhook to ${webhook.url}.`;
    });
  };

  const rotate = (webhook: Webhook) => {
    if (!window.confirm(`Give ${webhook.url} a new secret? The current one stops signing at once.`)) return;
    return act(webhook, async () => {
      const rotated = await rotateWebhookSecret(browserClient, webhook.id);
      replace(rotated.webhook);
      setSecret({ url: rotated.webhook.url, value: rotated.secret });
      return `${webhook.url} has a new secret: update the receiver with it.`;
    });
  };

  const test = (webhook: Webhook) =>
    act(webhook, async () => {
      await sendTestWebhook(browserClient, webhook.id);
      await refresh(webhook.id);
      void follow(webhook.id);
      return `Sent a webhook.test event to ${webhook.url}: its delivery is in the log below.`;
    });

  return (
    <>
      <CreateWebhookForm
        onCreated={(webhook, value) => {
          setWebhooks((previous) => [webhook, ...previous]);
          setSecret({ url: webhook.url, value });
          setOutcome({ kind: 'ok', text: `Added a webhook to ${webhook.url}.` });
        }}
      />
      {secret ? (
        <ShownOnceSecret
          key={secret.value}
          title={`Signing secret of ${secret.url}: copy it into the receiver now, it will not be shown again.`}
          secret={secret.value}
          testId="webhook-secret"
          onDone={() => setSecret(null)}
        />
      ) : null}
      {outcome ? (
        <Notice kind={outcome.kind}>
          <span data-testid="webhooks-outcome">{outcome.text}</span>
        </Notice>
      ) : null}
      {webhooks.length === 0 ? (
        <EmptyPanel title="No webhooks">
          <p>Add an endpoint above to be told when runs finish, masks are reviewed or exports are ready.</p>
        </EmptyPanel>
      ) : (
        <div className="stack" data-testid="webhooks">
          {webhooks.map((webhook) => {
            const waiting = busy === webhook.id;
            return (
              <section
                key={webhook.id}
                className="panel stack"
                data-testid="webhook"
                data-url={webhook.url}
                data-enabled={webhook.enabled}
              >
                <div className="row" style={{ justifyContent: 'space-between', flexWrap: 'wrap' }}>
                  <div className="stack" style={{ gap: '0.2rem', minWidth: 0 }}>
                    <strong className="mono free-text">{webhook.url}</strong>
                    {webhook.description ? <span className="small">{webhook.description}</span> : null}
                    <span className="small muted">{webhook.events.length} event types</span>
                  </div>
                  <div className="row">
                    {webhook.enabled ? (
                      <span className="badge ok">enabled</span>
                    ) : (
                      <span className="badge danger">disabled</span>
                    )}
                    <button disabled={waiting} onClick={() => void test(webhook)}>
                      Send test
                    </button>
                    <button disabled={waiting} onClick={() => void toggle(webhook)}>
                      {webhook.enabled ? 'Disable' : 'Enable'}
                    </button>
                    <button className="ghost" disabled={waiting} onClick={() => void rotate(webhook)}>
                      New secret
                    </button>
                    <button className="danger" disabled={waiting} onClick={() => void remove(webhook)}>
                      Delete
                    </button>
                  </div>
                </div>
                <DeliveryLog
                  webhook={webhook}
                  onRefresh={() => refresh(webhook.id)}
                  onRedelivered={() => void follow(webhook.id)}
                />
              </section>
            );
          })}
        </div>
      )}
    </>
  );
}

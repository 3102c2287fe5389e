import { ApiError, type GraphqlClient } from '../graphql/client';
import {
  CreateWebhookDocument,
  DeleteWebhookDocument,
  RedeliverWebhookDeliveryDocument,
  RotateWebhookSecretDocument,
  SendTestWebhookDocument,
  UpdateWebhookDocument,
  WebhookDocument,
  WebhooksDocument,
  type WebhookDeliveryFieldsFragment,
  type WebhookEventType,
  type WebhookFieldsFragment,
  type WebhooksQuery,
} from '../graphql/generated';

export type Webhook = WebhookFieldsFragment;
export type WebhookDelivery = WebhookDeliveryFieldsFragment;

/**
 * Webhooks per page: each brings LOG_SIZE deliveries, and a page of 100 (the API's largest) would pass the API's
 * query complexity limit (about 300 a webhook against 20 000).
 */
const PAGE_SIZE = 25;
/** Deliveries shown in a webhook's log, newest first. */
export const LOG_SIZE = 20;

/** The events a webhook can subscribe to, grouped as the form offers them, with what each tells. */
export const EVENT_GROUPS: { label: string; events: { type: WebhookEventType; text: string }[] }[] = [
  {
    label: 'Runs',
    events: [
      { type: 'RUN_QUEUED', text: 'queued' },
      { type: 'RUN_STARTED', text: 'started' },
      { type: 'RUN_SUCCEEDED', text: 'succeeded' },
      { type: 'RUN_FAILED', text: 'failed' },
      { type: 'RUN_CANCELLED', text: 'cancelled' },
    ],
  },
  {
    label: 'Evaluations',
    events: [
      { type: 'EVALUATION_SUCCEEDED', text: 'succeeded' },
      { type: 'EVALUATION_FAILED', text: 'failed' },
    ],
  },
  {
    label: 'Imports and exports',
    events: [
      { type: 'DATASET_IMPORT_SUCCEEDED', text: 'dataset imported' },
      { type: 'DATASET_IMPORT_FAILED', text: 'dataset import failed' },
      { type: 'RUN_EXPORT_SUCCEEDED', text: 'run exported' },
      { type: 'RUN_EXPORT_FAILED', text: 'run export failed' },
      { type: 'MASK_EXPORT_SUCCEEDED', text: 'masks exported' },
      { type: 'MASK_EXPORT_FAILED', text: 'mask export failed' },
      { type: 'MASK_IMPORT_SUCCEEDED', text: 'masks imported' },
      { type: 'MASK_IMPORT_FAILED', text: 'mask import failed' },
    ],
  },
  {
    label: 'Mask review',
    events: [
      { type: 'MASK_SUBMITTED', text: 'submitted' },
      { type: 'MASK_APPROVED', text: 'approved' },
      { type: 'MASK_REJECTED', text: 'rejected' },
    ],
  },
];

/** `RUN_EXPORT_SUCCEEDED` → `run_export.succeeded`, the name receivers see (X-VAD-Event). */
export function eventName(type: WebhookEventType): string {
  const lower = type.toLowerCase();
  const cut = lower.lastIndexOf('_');
  return `${lower.slice(0, cut)}.${lower.slice(cut + 1)}`;
}

/** Every webhook (pages of PAGE_SIZE), newest first, each with the start of its delivery log. */
export async function listWebhooks(client: GraphqlClient): Promise<Webhook[]> {
  const webhooks: Webhook[] = [];
  let after: string | null = null;
  for (;;) {
    const { webhooks: page }: WebhooksQuery = await client.request(WebhooksDocument, {
      first: PAGE_SIZE,
      after,
      deliveries: LOG_SIZE,
    });
    webhooks.push(...page.edges.map((edge) => edge.node));
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return webhooks;
    after = page.pageInfo.endCursor;
  }
}

/** One webhook as it is now (its log included); null once deleted. */
export async function getWebhook(client: GraphqlClient, id: string): Promise<Webhook | null> {
  return (await client.request(WebhookDocument, { id, deliveries: LOG_SIZE })).webhook ?? null;
}

export interface NewWebhook {
  url: string;
  description: string;
  events: WebhookEventType[];
}

/**
 * What the form can tell before asking: an http(s) URL and at least one event. The API checks the same and
 * answers BAD_USER_INPUT naming `url` (reason INVALID_WEBHOOK_URL) for what gets past.
 */
export function newWebhookProblems(webhook: NewWebhook): Partial<Record<'url' | 'events', string>> {
  const problems: Partial<Record<'url' | 'events', string>> = {};
  const url = webhook.url.trim();
  if (!url) problems.url = 'Enter the URL events are POSTed to';
  else if (!/^https?:\/\/[^\s/]+/i.test(url)) problems.url = 'An http or https URL, like https://hooks.lab.example/vad';
  if (webhook.events.length === 0) problems.events = 'Choose at least one event';
  return problems;
}

/** Creates a webhook; its signing secret comes back once and is never shown again. */
export async function createWebhook(
  client: GraphqlClient,
  webhook: NewWebhook,
): Promise<{ webhook: Webhook; secret: string }> {
  const problems = newWebhookProblems(webhook);
  if (Object.keys(problems).length > 0) {
    throw new ApiError(Object.values(problems).join('; '), 'BAD_USER_INPUT', { fields: problems });
  }
  const input = { url: webhook.url.trim(), description: webhook.description.trim(), events: webhook.events };
  const { createWebhook: created } = await client.request(CreateWebhookDocument, { input, deliveries: LOG_SIZE });
  return { webhook: created.webhook, secret: created.secret };
}

export async function setWebhookEnabled(client: GraphqlClient, id: string, enabled: boolean): Promise<Webhook> {
  return (await client.request(UpdateWebhookDocument, { input: { id, enabled }, deliveries: LOG_SIZE })).updateWebhook;
}

export async function deleteWebhook(client: GraphqlClient, id: string): Promise<void> {
  await client.request(DeleteWebhookDocument, { id });
}

/** A new signing secret, shown once; receivers must switch to it, the old one stops signing at once. */
export async function rotateWebhookSecret(
  client: GraphqlClient,
  id: string,
): Promise<{ webhook: Webhook; secret: string }> {
  const { rotateWebhookSecret: rotated } = await client.request(RotateWebhookSecretDocument, {
    id,
    deliveries: LOG_SIZE,
  });
  return { webhook: rotated.webhook, secret: rotated.secret };
}

/** Queues a `webhook.test` event for the webhook; a worker sends it within seconds. */
export async function sendTestWebhook(client: GraphqlClient, id: string): Promise<WebhookDelivery> {
  return (await client.request(SendTestWebhookDocument, { id })).sendTestWebhook;
}

/** Sends a delivery again, same delivery id, attempts starting over. */
export async function redeliverWebhookDelivery(client: GraphqlClient, id: string): Promise<WebhookDelivery> {
  return (await client.request(RedeliverWebhookDeliveryDocument, { id })).redeliverWebhookDelivery;
}

import type { PrismaClient } from '@prisma/client';

import type { Config } from '../config';
import { wireName } from '../modules/webhook/webhook.events';
import { SIGNATURE_HEADER, signatureHeader } from '../modules/webhook/webhook.signature';

/** What of an answer's body a failed attempt keeps in its error, to show the receiver's complaint. */
const ERROR_BODY_CHARS = 200;

/** The outcome of one POST: its HTTP status (null: no answer) and, unless 2xx, why it failed. */
interface Attempt {
  status: number | null;
  error: string | null;
}

async function post(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<Attempt> {
  try {
    // Redirects are not followed: a POST turned into a GET elsewhere would be counted as delivered.
    const response = await fetch(url, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text().catch(() => '');
    if (response.status >= 200 && response.status < 300) return { status: response.status, error: null };
    const shown = text.trim().slice(0, ERROR_BODY_CHARS);
    return { status: response.status, error: `answered HTTP ${response.status}${shown ? `: ${shown}` : ''}` };
  } catch (error) {
    const failure = error as Error & { cause?: { code?: string; message?: string } };
    if (failure.name === 'TimeoutError') return { status: null, error: `no answer within ${timeoutMs} ms` };
    const cause = failure.cause?.code ?? failure.cause?.message ?? failure.message;
    return { status: null, error: `could not reach ${new URL(url).host} (${cause})` };
  }
}

/**
 * One attempt at a delivery, made by the queue job `jobId`: POSTs the event signed with the webhook's current
 * secret and records the attempt on the delivery. A 2xx delivers it; otherwise it stays PENDING and this throws,
 * so that pg-boss retries the job later (retryBackoff), until `final`, the last attempt, which FAILs it. A job of
 * an earlier (re)delivery, a delivered one, or one whose webhook was deleted does nothing; a disabled webhook's
 * delivery fails without being sent (its test events excepted: an admin tries an endpoint before enabling it).
 */
export async function deliverWebhook(
  prisma: PrismaClient,
  config: Config,
  deliveryId: string,
  jobId: string,
  final: boolean,
): Promise<void> {
  const delivery = await prisma.webhookDelivery.findUnique({ where: { id: deliveryId }, include: { webhook: true } });
  if (!delivery || delivery.status !== 'PENDING' || delivery.jobId !== jobId) return;
  const current = { id: deliveryId, jobId, status: 'PENDING' as const };
  const { webhook } = delivery;
  if (!webhook.enabled && delivery.eventType !== 'WEBHOOK_TEST') {
    await prisma.webhookDelivery.updateMany({
      where: current,
      data: { status: 'FAILED', lastError: 'not sent: the webhook is disabled' },
    });
    return;
  }
  const type = wireName(delivery.eventType);
  const body = JSON.stringify({
    id: delivery.eventId,
    type,
    createdAt: delivery.createdAt.toISOString(),
    data: delivery.payload,
  });
  const attempt = await post(
    webhook.url,
    {
      'content-type': 'application/json',
      'user-agent': 'vad-webhooks/1',
      'x-vad-event': type,
      'x-vad-delivery': delivery.id,
      [SIGNATURE_HEADER.toLowerCase()]: signatureHeader(webhook.secret, body),
    },
    body,
    config.webhooks.timeoutMs,
  );
  const now = new Date();
  const delivered = attempt.error === null;
  await prisma.webhookDelivery.updateMany({
    where: current,
    data: {
      attempts: { increment: 1 },
      lastAttemptAt: now,
      lastResponseStatus: attempt.status,
      lastError: attempt.error,
      ...(delivered ? { status: 'DELIVERED', deliveredAt: now } : final ? { status: 'FAILED' } : {}),
    },
  });
  if (!delivered && !final) throw new Error(`webhook delivery ${deliveryId}: ${attempt.error}`);
}

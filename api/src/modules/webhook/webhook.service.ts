import { randomUUID } from 'node:crypto';

import type { PrismaClient, Webhook, WebhookDelivery } from '@prisma/client';

import type { Viewer } from '../../auth/viewer';
import { keysetPage, type ConnectionValue, type PageArgs } from '../../graphql/connection';
import { NotFoundError } from '../../graphql/errors';
import { checkId, isUuid } from '../../graphql/ids';
import { InvalidWebhookSecretError, InvalidWebhookUrlError } from './webhook.errors';
import { emitEvent, WEBHOOK_CHANNEL } from './webhook.events';
import type { CreateWebhookInput, UpdateWebhookInput } from './webhook.input';
import { newWebhookSecret } from './webhook.signature';

const MAX_URL_LENGTH = 2048;

/**
 * The URL events are POSTed to: http or https, with a host. Private and loopback addresses are allowed on
 * purpose, since on-premises labs run their receivers next to the platform (api/README.md, "Webhooks").
 */
export function checkWebhookUrl(raw: string): string {
  const url = raw.trim();
  if (url === '') throw new InvalidWebhookUrlError(raw, 'is empty: give an http or https URL');
  if (url.length > MAX_URL_LENGTH) {
    throw new InvalidWebhookUrlError(raw, `is longer than ${MAX_URL_LENGTH} characters`);
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidWebhookUrlError(raw, 'is not a URL: give an absolute http or https URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new InvalidWebhookUrlError(raw, `uses ${parsed.protocol.slice(0, -1)}: only http and https are allowed`);
  }
  if (!parsed.hostname) throw new InvalidWebhookUrlError(raw, 'has no host');
  return url;
}

function checkSecret(secret: string): string {
  if (secret.length < 16 || secret.length > 200) {
    throw new InvalidWebhookSecretError(`must be 16 to 200 characters long, got ${secret.length}`);
  }
  return secret;
}

export class WebhookService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly maxPageSize: number,
  ) {}

  list(page: PageArgs): Promise<ConnectionValue<Webhook>> {
    return keysetPage(this.prisma.webhook, {
      ...page,
      after: page.after,
      field: 'createdAt',
      direction: 'desc',
      maxPageSize: this.maxPageSize,
    });
  }

  async byId(id: string): Promise<Webhook | null> {
    if (!isUuid(id)) return null;
    return this.prisma.webhook.findUnique({ where: { id } });
  }

  /** A webhook's deliveries, newest first. */
  deliveries(webhookId: string, page: PageArgs): Promise<ConnectionValue<WebhookDelivery>> {
    return keysetPage(this.prisma.webhookDelivery, {
      ...page,
      after: page.after,
      where: { webhookId },
      field: 'createdAt',
      direction: 'desc',
      maxPageSize: this.maxPageSize,
    });
  }

  async create(viewer: Viewer, input: CreateWebhookInput): Promise<{ webhook: Webhook; secret: string }> {
    const url = checkWebhookUrl(input.url);
    const secret = input.secret != null ? checkSecret(input.secret) : newWebhookSecret();
    const webhook = await this.prisma.webhook.create({
      data: {
        url,
        description: input.description?.trim() ?? '',
        secret,
        events: input.events,
        enabled: input.enabled ?? true,
        createdById: viewer.user.id,
      },
    });
    return { webhook, secret };
  }

  async update(input: UpdateWebhookInput): Promise<Webhook> {
    const webhook = await this.find(input.id);
    return this.prisma.webhook.update({
      where: { id: webhook.id },
      data: {
        ...(input.url != null ? { url: checkWebhookUrl(input.url) } : {}),
        ...(input.description != null ? { description: input.description.trim() } : {}),
        ...(input.events != null ? { events: input.events } : {}),
        ...(input.enabled != null ? { enabled: input.enabled } : {}),
      },
    });
  }

  /** Deletes a webhook and its delivery log; deliveries not yet sent are not sent. */
  async delete(id: string): Promise<boolean> {
    checkId(id, 'Webhook');
    const deleted = await this.prisma.webhook.deleteMany({ where: { id } });
    if (deleted.count === 0) throw new NotFoundError('Webhook', id);
    return true;
  }

  /** A new random secret, from the next attempt on (receivers must switch at once: the old one stops signing). */
  async rotateSecret(id: string): Promise<{ webhook: Webhook; secret: string }> {
    const webhook = await this.find(id);
    const secret = newWebhookSecret();
    return { webhook: await this.prisma.webhook.update({ where: { id: webhook.id }, data: { secret } }), secret };
  }

  /**
   * Sends a delivery again, with the same id and event (receivers that saw it already recognise it), and its
   * attempts start over; the attempt count keeps adding up.
   */
  async redeliver(deliveryId: string): Promise<WebhookDelivery> {
    checkId(deliveryId, 'WebhookDelivery');
    return this.prisma.$transaction(async (tx) => {
      const delivery = await tx.webhookDelivery.updateMany({
        where: { id: deliveryId },
        data: { status: 'PENDING', queuedAt: null, jobId: randomUUID(), lastError: null },
      });
      if (delivery.count === 0) throw new NotFoundError('WebhookDelivery', deliveryId);
      await tx.$executeRaw`SELECT pg_notify(${WEBHOOK_CHANNEL}, ${deliveryId})`;
      return tx.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId } });
    });
  }

  /** A `webhook.test` event for this webhook alone, enabled or not: what the receiver sees, signed. */
  async sendTest(id: string): Promise<WebhookDelivery> {
    const webhook = await this.find(id);
    return this.prisma.$transaction(async (tx) => {
      const [deliveryId] = await emitEvent(tx, 'WEBHOOK_TEST', { webhook: { id: webhook.id } }, webhook.id);
      return tx.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId! } });
    });
  }

  private async find(id: string): Promise<Webhook> {
    const webhook = await this.prisma.webhook.findUnique({ where: { id: checkId(id, 'Webhook') } });
    if (!webhook) throw new NotFoundError('Webhook', id);
    return webhook;
  }
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  createWebhook,
  EVENT_GROUPS,
  eventName,
  getWebhook,
  listWebhooks,
  LOG_SIZE,
  newWebhookProblems,
  type Webhook,
} from '../../../lib/domain/webhooks';
import { ApiError, type GraphqlClient } from '../../../lib/graphql/client';
import type { WebhookEventType } from '../../../lib/graphql/generated';

function webhook(patch: Partial<Webhook> = {}): Webhook {
  return {
    id: 'w1',
    url: 'https://hooks.lab.example/vad',
    description: '',
    events: ['RUN_SUCCEEDED'],
    enabled: true,
    createdAt: '2026-12-07T05:00:00Z',
    deliveries: { totalCount: 0, edges: [] },
    ...patch,
  };
}

/** A client that gives `answers` in turn and remembers the variables it was given. */
function answering(...answers: unknown[]) {
  const asked: unknown[] = [];
  const client = {
    request: async (_document: unknown, variables: unknown) => {
      asked.push(variables);
      return answers.shift();
    },
  } as unknown as GraphqlClient;
  return { client, asked };
}

describe('event names', () => {
  it('names events as receivers see them, with a dot before the last word', () => {
    assert.equal(eventName('RUN_EXPORT_SUCCEEDED'), 'run_export.succeeded');
    assert.equal(eventName('MASK_APPROVED'), 'mask.approved');
    assert.equal(eventName('WEBHOOK_TEST'), 'webhook.test');
  });

  it('offers each subscribable event once', () => {
    const offered = EVENT_GROUPS.flatMap((group) => group.events.map((event) => event.type));
    assert.equal(new Set(offered).size, offered.length);
    assert.ok(!offered.includes('WEBHOOK_TEST' as WebhookEventType), 'the test event is sent whatever is chosen');
  });
});

describe('a new webhook', () => {
  it('names what is wrong with its URL and events before asking', () => {
    assert.deepEqual(newWebhookProblems({ url: ' ', description: '', events: [] }), {
      url: 'Enter the URL events are POSTed to',
      events: 'Choose at least one event',
    });
    assert.match(
      newWebhookProblems({ url: 'ftp://files.lab.example/drop', description: '', events: ['RUN_FAILED'] }).url ?? '',
      /An http or https URL/,
    );
    assert.deepEqual(
      newWebhookProblems({ url: 'http://10.0.0.5:8080/hook', description: '', events: ['RUN_FAILED'] }),
      {},
    );
  });

  it('refuses a bad one by field without asking, and sends a good one trimmed', async () => {
    const refused = answering();
    await assert.rejects(
      createWebhook(refused.client, { url: 'hooks', description: '', events: ['RUN_FAILED'] }),
      (error: unknown) =>
        error instanceof ApiError &&
        error.code === 'BAD_USER_INPUT' &&
        typeof (error.extensions.fields as { url?: string }).url === 'string',
    );
    assert.deepEqual(refused.asked, []);

    const made = answering({ createWebhook: { secret: 'whsec_x', webhook: webhook() } });
    const created = await createWebhook(made.client, {
      url: ' https://hooks.lab.example/vad ',
      description: ' chat bot ',
      events: ['RUN_SUCCEEDED'],
    });
    assert.equal(created.secret, 'whsec_x');
    assert.deepEqual(made.asked, [
      {
        input: { url: 'https://hooks.lab.example/vad', description: 'chat bot', events: ['RUN_SUCCEEDED'] },
        deliveries: LOG_SIZE,
      },
    ]);
  });
});

describe('reading webhooks', () => {
  it('walks every page of webhooks', async () => {
    const pages = answering(
      { webhooks: { pageInfo: { hasNextPage: true, endCursor: 'c1' }, edges: [{ node: webhook({ id: 'a' }) }] } },
      { webhooks: { pageInfo: { hasNextPage: false, endCursor: 'c2' }, edges: [{ node: webhook({ id: 'b' }) }] } },
    );
    const all = await listWebhooks(pages.client);
    assert.deepEqual(
      all.map((entry) => entry.id),
      ['a', 'b'],
    );
    assert.deepEqual(pages.asked, [
      { first: 25, after: null, deliveries: LOG_SIZE },
      { first: 25, after: 'c1', deliveries: LOG_SIZE },
    ]);
  });

  it('answers null for a deleted webhook', async () => {
    assert.equal(await getWebhook(answering({ webhook: null }).client, 'gone'), null);
  });
});

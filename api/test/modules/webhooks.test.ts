// Webhooks end to end: admins manage them, events are written with their transitions, an in-process worker
// POSTs them signed to a receiver started here, and a receiver that fails once is sent the same delivery again.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { verifySignature } from '../../src/modules/webhook/webhook.signature';
import { startWorker, type StartedWorker } from '../../src/worker';
import { startTestApi, type TestApi, type TestUser } from '../support/api';
import { makeMvtecFolder, maskPng } from '../support/fixtures';
import { waitFor } from '../support/wait';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  event: { id: string; type: string; createdAt: string; data: Record<string, Record<string, unknown>> };
}

let api: TestApi;
let worker: StartedWorker;
let admin: TestUser;
let annotator: TestUser;
let viewer: TestUser;
let datasetId: string;
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];
/** How many of the next requests to a path are answered 500. */
const failures = new Map<string, number>();
const scratch = mkdtempSync(path.join(os.tmpdir(), 'vad-webhooks-'));

const CREATE = `mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { secret webhook { id url events enabled } } }`;
const DELIVERIES = `query($id: ID!) { webhook(id: $id) { id deliveries(first: 50) { totalCount edges { node {
  id eventId eventType status attempts lastResponseStatus lastError payload
} } } } }`;

interface DeliveryView {
  id: string;
  eventId: string;
  eventType: string;
  status: string;
  attempts: number;
  lastResponseStatus: number | null;
  lastError: string | null;
  payload: Record<string, unknown>;
}

async function createWebhook(input: Record<string, unknown>): Promise<{ id: string; secret: string }> {
  const data = await api.ok<{ createWebhook: { secret: string; webhook: { id: string } } }>(
    CREATE,
    { i: input },
    { cookie: admin.cookie },
  );
  return { id: data.createWebhook.webhook.id, secret: data.createWebhook.secret };
}

async function deliveries(webhookId: string): Promise<DeliveryView[]> {
  const data = await api.ok<{ webhook: { deliveries: { edges: { node: DeliveryView }[] } } }>(
    DELIVERIES,
    { id: webhookId },
    { cookie: admin.cookie },
  );
  return data.webhook.deliveries.edges.map((edge) => edge.node);
}

function at(pathname: string): Received[] {
  return received.filter((request) => request.path === pathname);
}

before(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const pathname = request.url ?? '/';
      received.push({ path: pathname, headers: request.headers, body, event: JSON.parse(body) as Received['event'] });
      const left = failures.get(pathname) ?? 0;
      if (left > 0) {
        failures.set(pathname, left - 1);
        response.writeHead(500).end('receiver down for a moment');
        return;
      }
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  api = await startTestApi('webhooks', (config) => {
    config.worker.heartbeatMs = 300;
    config.worker.pollIntervalSeconds = 1;
    config.worker.reapIntervalMs = 1000;
    config.webhooks.retryDelaySeconds = 1;
    config.webhooks.maxAttempts = 3;
    // Events are written outside requests: only the configured public origin makes their URLs absolute.
    config.publicUrl = 'https://vad.example.org';
  });
  admin = await api.user('ADMIN');
  annotator = await api.user('ANNOTATOR');
  viewer = await api.user('VIEWER');
  const folder = await makeMvtecFolder(path.join(scratch, 'data'), { train: 12, testGood: 2, defects: { crack: 2 } });
  datasetId = (
    await api.ok<{ importDataset: { id: string } }>(
      'mutation($p: String!) { importDataset(input: { path: $p, name: "hooks" }) { id } }',
      { p: folder },
      { cookie: admin.cookie },
    )
  ).importDataset.id;
  worker = await startWorker(api.config, api.databaseUrl, () => {});
});

after(async () => {
  await worker?.stop();
  await api?.close();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  rmSync(scratch, { recursive: true, force: true });
});

describe('webhook management', () => {
  it('is for admins only', async () => {
    for (const user of [viewer, annotator]) {
      const list = await api.gql('{ webhooks(first: 5) { totalCount } }', {}, { cookie: user.cookie });
      assert.equal(list.errors?.[0]?.extensions?.code, 'FORBIDDEN', user.role);
      assert.equal(list.data ?? null, null);
      const created = await api.gql(
        CREATE,
        { i: { url: `${receiverUrl}/x`, events: ['RUN_QUEUED'] } },
        { cookie: user.cookie },
      );
      assert.equal(created.errors?.[0]?.extensions?.code, 'FORBIDDEN', user.role);
    }
    assert.equal(await api.prisma.webhook.count(), 0);
  });

  it('refuses a URL that is not http or https, and a short secret, naming the field', async () => {
    for (const [url, problem] of [
      ['ftp://example.com/hook', /only http and https are allowed/],
      ['not a url', /is not a URL/],
      ['  ', /is empty/],
    ] as const) {
      const refused = await api.gql(CREATE, { i: { url, events: ['RUN_QUEUED'] } }, { cookie: admin.cookie });
      const error = refused.errors?.[0];
      assert.equal(error?.extensions?.code, 'BAD_USER_INPUT', url);
      assert.equal(error?.extensions?.field, 'url');
      assert.equal(error?.extensions?.reason, 'INVALID_WEBHOOK_URL');
      assert.match(error?.message ?? '', problem);
    }
    const short = await api.gql(
      CREATE,
      { i: { url: `${receiverUrl}/x`, events: ['RUN_QUEUED'], secret: 'short' } },
      { cookie: admin.cookie },
    );
    assert.equal(short.errors?.[0]?.extensions?.field, 'secret');
    const none = await api.gql(CREATE, { i: { url: `${receiverUrl}/x`, events: [] } }, { cookie: admin.cookie });
    assert.match(none.errors?.[0]?.message ?? '', /events must name at least one event type/);
    const update = await api.gql(
      `mutation($id: ID!) { updateWebhook(input: { id: $id, url: "gopher://x" }) { id } }`,
      { id: '00000000-0000-4000-8000-000000000000' },
      { cookie: admin.cookie },
    );
    assert.equal(update.errors?.[0]?.extensions?.code, 'NOT_FOUND');
  });

  it('shows a made secret once, keeps a given one, and rotates it', async () => {
    const made = await createWebhook({ url: `${receiverUrl}/manage`, events: ['WEBHOOK_TEST'] });
    assert.match(made.secret, /^whsec_[A-Za-z0-9_-]{43}$/);
    const given = await createWebhook({
      url: `${receiverUrl}/manage`,
      events: ['WEBHOOK_TEST'],
      secret: 'a-secret-of-our-own',
    });
    assert.equal(given.secret, 'a-secret-of-our-own');
    const rotated = await api.ok<{ rotateWebhookSecret: { secret: string; webhook: { id: string } } }>(
      'mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret webhook { id } } }',
      { id: given.id },
      { cookie: admin.cookie },
    );
    assert.notEqual(rotated.rotateWebhookSecret.secret, 'a-secret-of-our-own');
    const updated = await api.ok<{ updateWebhook: { enabled: boolean; events: string[]; url: string } }>(
      `mutation($id: ID!) { updateWebhook(input: { id: $id, enabled: false, events: [RUN_FAILED, WEBHOOK_TEST] }) {
        enabled events url } }`,
      { id: given.id },
      { cookie: admin.cookie },
    );
    assert.deepEqual(updated.updateWebhook, {
      enabled: false,
      events: ['RUN_FAILED', 'WEBHOOK_TEST'],
      url: `${receiverUrl}/manage`,
    });
    for (const id of [made.id, given.id]) {
      await api.ok('mutation($id: ID!) { deleteWebhook(id: $id) }', { id }, { cookie: admin.cookie });
    }
    const list = await api.ok<{ webhooks: { totalCount: number } }>(
      '{ webhooks(first: 5) { totalCount } }',
      {},
      { cookie: admin.cookie },
    );
    assert.equal(list.webhooks.totalCount, 0);
  });
});

describe('webhook delivery', () => {
  it("sends a run's transitions once each, signed, and a cancel", async () => {
    const hook = await createWebhook({
      url: `${receiverUrl}/runs`,
      description: 'run events',
      events: ['RUN_QUEUED', 'RUN_STARTED', 'RUN_SUCCEEDED', 'RUN_FAILED', 'RUN_CANCELLED', 'EVALUATION_SUCCEEDED'],
    });
    // A disabled webhook subscribed to the same events is told nothing.
    const disabled = await createWebhook({ url: `${receiverUrl}/disabled`, events: ['RUN_QUEUED'], enabled: false });
    const runId = (
      await api.ok<{ startRun: { id: string } }>(
        'mutation($d: ID!) { startRun(input: { datasetId: $d, preset: TINY, epochs: 2 }) { id } }',
        { d: datasetId },
        { cookie: admin.cookie },
      )
    ).startRun.id;
    const expected = ['run.queued', 'run.started', 'run.succeeded', 'evaluation.succeeded'];
    await waitFor(
      'the run events',
      async () => {
        const types = at('/runs').map((request) => request.event.type);
        return expected.every((type) => types.includes(type)) ? true : undefined;
      },
      180_000,
      200,
    );
    // Later passes of the dispatcher and the reaper add nothing.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const requests = at('/runs');
    assert.deepEqual(requests.map((request) => request.event.type).sort(), [...expected].sort());
    for (const request of requests) {
      assert.equal(request.headers['content-type'], 'application/json');
      assert.equal(request.headers['x-vad-event'], request.event.type);
      const signature = String(request.headers['x-vad-signature']);
      assert.match(signature, /^t=\d+,v1=[0-9a-f]{64}$/);
      assert.ok(verifySignature(hook.secret, request.body, signature), `${request.event.type} is signed`);
      assert.ok(!verifySignature('another secret entirely', request.body, signature));
      assert.ok(!verifySignature(hook.secret, request.body.replace('"run', '"rum'), signature));
      // An old signature is refused: what stops a replay.
      assert.ok(!verifySignature(hook.secret, request.body, signature, 300, Date.now() + 600_000));
    }
    for (const type of ['run.queued', 'run.started', 'run.succeeded']) {
      const request = requests.find((candidate) => candidate.event.type === type)!;
      assert.equal(request.event.data.run!.id, runId, type);
    }
    assert.equal(
      requests.find((request) => request.event.type === 'run.succeeded')!.event.data.run!.status,
      'SUCCEEDED',
    );
    const evaluation = requests.find((request) => request.event.type === 'evaluation.succeeded')!.event.data
      .evaluation!;
    assert.equal(evaluation.runId, runId);
    assert.ok(evaluation.metrics, 'the evaluation event carries the metrics');

    const log = await deliveries(hook.id);
    assert.equal(log.length, 4);
    for (const delivery of log) {
      assert.equal(delivery.status, 'DELIVERED');
      assert.equal(delivery.attempts, 1);
      assert.equal(delivery.lastResponseStatus, 204);
      const request = requests.find((candidate) => candidate.headers['x-vad-delivery'] === delivery.id);
      assert.ok(request, `delivery ${delivery.id} was the one sent`);
      assert.equal(request.event.id, delivery.eventId);
    }
    assert.equal(at('/disabled').length, 0);
    assert.equal((await deliveries(disabled.id)).length, 0);

    // A queued run cancelled at once, or a running one: either way, one run.cancelled.
    const cancelled = (
      await api.ok<{ startRun: { id: string } }>(
        'mutation($d: ID!) { startRun(input: { datasetId: $d, preset: TINY }) { id } }',
        { d: datasetId },
        { cookie: admin.cookie },
      )
    ).startRun.id;
    await api.ok('mutation($id: ID!) { cancelRun(id: $id) { id } }', { id: cancelled }, { cookie: admin.cookie });
    await waitFor(
      'run.cancelled',
      async () =>
        at('/runs').some(
          (request) => request.event.type === 'run.cancelled' && request.event.data.run!.id === cancelled,
        )
          ? true
          : undefined,
      60_000,
      200,
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const ofCancelled = at('/runs').filter((request) => request.event.data.run?.id === cancelled);
    assert.equal(ofCancelled.filter((request) => request.event.type === 'run.cancelled').length, 1);
    assert.equal(ofCancelled.filter((request) => request.event.type === 'run.queued').length, 1);
    assert.equal(ofCancelled.filter((request) => request.event.type === 'run.succeeded').length, 0);
    await api.ok('mutation($id: ID!) { deleteWebhook(id: $id) }', { id: hook.id }, { cookie: admin.cookie });
  });

  it('sends a delivery answered 500 again, with the same delivery id, and then it is DELIVERED', async () => {
    const hook = await createWebhook({ url: `${receiverUrl}/flaky`, events: ['WEBHOOK_TEST'] });
    failures.set('/flaky', 1);
    const sent = await api.ok<{ sendTestWebhook: { id: string; status: string } }>(
      'mutation($id: ID!) { sendTestWebhook(id: $id) { id status } }',
      { id: hook.id },
      { cookie: admin.cookie },
    );
    assert.equal(sent.sendTestWebhook.status, 'PENDING');
    const delivered = await waitFor(
      'the retried delivery',
      async () => {
        const [delivery] = await deliveries(hook.id);
        return delivery?.status === 'DELIVERED' ? delivery : undefined;
      },
      60_000,
      200,
    );
    const requests = at('/flaky');
    assert.equal(requests.length, 2);
    assert.deepEqual(
      requests.map((request) => request.headers['x-vad-delivery']),
      [sent.sendTestWebhook.id, sent.sendTestWebhook.id],
    );
    assert.equal(requests[0]!.event.id, requests[1]!.event.id);
    assert.equal(requests[0]!.event.type, 'webhook.test');
    assert.ok(verifySignature(hook.secret, requests[1]!.body, String(requests[1]!.headers['x-vad-signature'])));
    assert.equal(delivered.attempts, 2);
    assert.equal(delivered.lastResponseStatus, 204);
    assert.equal(delivered.lastError, null);

    // Redelivered by hand: the same id once more.
    await api.ok(
      'mutation($id: ID!) { redeliverWebhookDelivery(id: $id) { id } }',
      { id: delivered.id },
      { cookie: admin.cookie },
    );
    await waitFor('the redelivery', async () => (at('/flaky').length === 3 ? true : undefined), 30_000, 200);
    assert.equal(at('/flaky')[2]!.headers['x-vad-delivery'], delivered.id);
    const again = await waitFor(
      'the redelivery to be logged',
      async () => {
        const [delivery] = await deliveries(hook.id);
        return delivery?.attempts === 3 && delivery.status === 'DELIVERED' ? delivery : undefined;
      },
      30_000,
      200,
    );
    assert.equal(again.id, delivered.id);
  });

  it('fails a delivery out of attempts, with the last answer logged', async () => {
    const hook = await createWebhook({ url: `${receiverUrl}/down`, events: ['WEBHOOK_TEST'] });
    failures.set('/down', 3);
    await api.ok('mutation($id: ID!) { sendTestWebhook(id: $id) { id } }', { id: hook.id }, { cookie: admin.cookie });
    const failed = await waitFor(
      'the delivery to fail',
      async () => {
        const [delivery] = await deliveries(hook.id);
        return delivery?.status === 'FAILED' ? delivery : undefined;
      },
      60_000,
      200,
    );
    assert.equal(failed.attempts, 3);
    assert.equal(failed.lastResponseStatus, 500);
    assert.match(failed.lastError ?? '', /answered HTTP 500: receiver down for a moment/);
    assert.equal(at('/down').length, 3);
  });

  it('tells of a mask submitted and approved, and of a dataset imported', async () => {
    await createWebhook({
      url: `${receiverUrl}/masks`,
      events: ['MASK_SUBMITTED', 'MASK_APPROVED', 'MASK_REJECTED', 'DATASET_IMPORT_SUCCEEDED', 'DATASET_IMPORT_FAILED'],
    });
    const images = await api.ok<{
      dataset: { images: { edges: { node: { id: string; width: number; maskVersion: number } }[] } };
    }>(
      'query($id: ID!) { dataset(id: $id) { images(first: 50) { edges { node { id width maskVersion } } } } }',
      { id: datasetId },
      { cookie: admin.cookie },
    );
    // An image without a mask yet (the imported defects come with theirs).
    const image = images.dataset.images.edges.map((edge) => edge.node).find((node) => node.maskVersion === 0)!;
    const png = (await maskPng(image.width, { x: 10, y: 10, r: 4 })).toString('base64');
    const saved = await api.ok<{ saveMask: { id: string } }>(
      'mutation($i: ID!, $p: String!) { saveMask(imageId: $i, pngBase64: $p, baseVersion: 0, submit: true) { id } }',
      { i: image.id, p: png },
      { cookie: annotator.cookie },
    );
    await api.ok(
      'mutation($id: ID!) { reviewMask(maskId: $id, decision: APPROVE, comment: "fine") { id } }',
      { id: saved.saveMask.id },
      { cookie: admin.cookie },
    );
    const folder = await makeMvtecFolder(path.join(scratch, 'second'), { train: 2, testGood: 1, defects: { hole: 1 } });
    const second = await api.ok<{ importDataset: { id: string } }>(
      'mutation($p: String!) { importDataset(input: { path: $p, name: "hooks-2" }) { id } }',
      { p: folder },
      { cookie: admin.cookie },
    );
    const refused = await api.gql(
      'mutation($p: String!) { importDataset(input: { path: $p, name: "hooks-2" }) { id } }',
      { p: folder },
      { cookie: admin.cookie },
    );
    assert.equal(refused.errors?.[0]?.extensions?.code, 'CONFLICT');
    const expected = ['mask.submitted', 'mask.approved', 'dataset_import.succeeded', 'dataset_import.failed'];
    await waitFor(
      'the mask and import events',
      async () => (at('/masks').length >= expected.length ? true : undefined),
      30_000,
      200,
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const requests = at('/masks');
    assert.deepEqual(requests.map((request) => request.event.type).sort(), [...expected].sort());
    const approved = requests.find((request) => request.event.type === 'mask.approved')!.event.data;
    assert.equal(approved.mask!.id, saved.saveMask.id);
    assert.equal(approved.mask!.status, 'APPROVED');
    assert.equal(approved.review!.comment, 'fine');
    const imported = requests.find((request) => request.event.type === 'dataset_import.succeeded')!.event.data;
    assert.equal(imported.dataset!.id, second.importDataset.id);
    const failed = requests.find((request) => request.event.type === 'dataset_import.failed')!.event.data;
    assert.match(String(failed.error), /already exists/);
  });
  it("tells of an export's end, with its download path and URL, and nothing to a webhook not subscribed", async () => {
    await createWebhook({ url: `${receiverUrl}/exports`, events: ['MASK_EXPORT_SUCCEEDED', 'MASK_EXPORT_FAILED'] });
    await createWebhook({ url: `${receiverUrl}/runs-only`, events: ['RUN_QUEUED'] });
    const { exportMasks } = await api.ok<{ exportMasks: { id: string } }>(
      'mutation($d: ID!) { exportMasks(datasetId: $d, which: LATEST) { id } }',
      { d: datasetId },
      { cookie: admin.cookie },
    );
    await waitFor('the export event', async () => (at('/exports').length > 0 ? true : undefined), 30_000, 200);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const requests = at('/exports');
    assert.deepEqual(
      requests.map((request) => request.event.type),
      ['mask_export.succeeded'],
    );
    const sent = requests[0]!.event.data.export!;
    assert.equal(sent.id, exportMasks.id);
    assert.equal(sent.status, 'SUCCEEDED');
    assert.equal(sent.path, `/files/exports/${exportMasks.id}.zip`);
    assert.equal(sent.downloadUrl, `https://vad.example.org/files/exports/${exportMasks.id}.zip`);
    assert.equal(at('/runs-only').length, 0);
  });
});

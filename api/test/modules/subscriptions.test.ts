// Subscriptions as a script uses them: runProgress sends the run as it is first, completes once the run has
// ended, and errors on an id that names nothing (it used to stay open and quiet); so do the dataset ones.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

import { Topic } from '../../src/events/pubsub';
import { startTestApi, type TestApi, type TestUser } from '../support/api';
import { makeMvtecFolder } from '../support/fixtures';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'vad-subscriptions-'));
const MISSING = '00000000-0000-4000-8000-000000000000';
const PROGRESS = 'subscription($id: ID!) { runProgress(runId: $id) { id status phase evaluations { status } } }';

let api: TestApi;
let admin: TestUser;
let client: Client;
let datasetId: string;

before(async () => {
  api = await startTestApi('subscriptions');
  admin = await api.user('ADMIN');
  const folder = await makeMvtecFolder(path.join(scratch, 'data'), { train: 4, testGood: 1, defects: { crack: 1 } });
  datasetId = (
    await api.ok<{ importDataset: { id: string } }>(
      'mutation($p: String!) { importDataset(input: { path: $p, name: "subscriptions" }) { id } }',
      { p: folder },
      { cookie: admin.cookie },
    )
  ).importDataset.id;
  const key = (
    await api.ok<{ createApiKey: { secret: string } }>(
      'mutation { createApiKey(name: "ws", scopes: [READ]) { secret } }',
      {},
      { cookie: admin.cookie },
    )
  ).createApiKey.secret;
  client = createClient({
    url: `${api.url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${key}` },
    retryAttempts: 0,
  });
});
after(async () => {
  await client.dispose();
  await api.close();
  rmSync(scratch, { recursive: true, force: true });
});

interface RunEvent {
  id: string;
  status: string;
  phase: string;
  evaluations: { status: string }[];
}

type Item = { event: RunEvent } | { errors: { message: string; extensions?: Record<string, unknown> }[] } | 'complete';

/** A subscription read item by item: its events, its errors, and its completion, each within a time limit. */
function follow(query: string, variables: Record<string, unknown>) {
  const items: Item[] = [];
  const waiting: ((item: Item) => void)[] = [];
  const push = (item: Item) => {
    const waiter = waiting.shift();
    if (waiter) waiter(item);
    else items.push(item);
  };
  const dispose = client.subscribe<{ runProgress: RunEvent }>(
    { query, variables },
    {
      next: (result) =>
        push(
          result.errors
            ? { errors: result.errors as { message: string; extensions?: Record<string, unknown> }[] }
            : { event: result.data!.runProgress },
        ),
      error: (error) => push({ errors: [{ message: String(error) }] }),
      complete: () => push('complete'),
    },
  );
  return {
    next(timeoutMs = 5000): Promise<Item> {
      const item = items.shift();
      if (item) return Promise.resolve(item);
      return new Promise((resolve, reject) => {
        const waiter = (got: Item) => {
          clearTimeout(timer);
          resolve(got);
        };
        // A waiter that gave up must not take the next item.
        const timer = setTimeout(() => {
          waiting.splice(waiting.indexOf(waiter), 1);
          reject(new Error(`nothing within ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.push(waiter);
      });
    },
    /** True when nothing arrives for `ms`. */
    async quietFor(ms: number): Promise<boolean> {
      try {
        const item = await this.next(ms);
        items.unshift(item);
        return false;
      } catch {
        return true;
      }
    },
    close: dispose,
  };
}

async function event(subscription: ReturnType<typeof follow>): Promise<RunEvent> {
  const item = await subscription.next();
  assert.ok(typeof item === 'object' && 'event' in item, `expected an event, got ${JSON.stringify(item)}`);
  return item.event;
}

async function queuedRun(): Promise<string> {
  const data = await api.ok<{ startRun: { id: string } }>(
    'mutation($input: StartRunInput!) { startRun(input: $input) { id } }',
    { input: { datasetId, preset: 'TINY', epochs: 1 } },
    { cookie: admin.cookie },
  );
  return data.startRun.id;
}

describe('runProgress', () => {
  it('sends the run as it is first, each change after, and completes when the run ends', async () => {
    const runId = await queuedRun();
    const progress = follow(PROGRESS, { id: runId });
    try {
      const first = await event(progress);
      assert.equal(first.id, runId);
      assert.equal(first.status, 'QUEUED');
      assert.ok(await progress.quietFor(300), 'a queued run with no news sends nothing more');
      await api.ok('mutation($id: ID!) { cancelRun(id: $id) { id } }', { id: runId }, { cookie: admin.cookie });
      assert.equal((await event(progress)).status, 'CANCELLED');
      assert.equal(await progress.next(), 'complete');
    } finally {
      progress.close();
    }
  });

  it('on a run that has already ended: the run, then completion', async () => {
    const runId = await queuedRun();
    await api.ok('mutation($id: ID!) { cancelRun(id: $id) { id } }', { id: runId }, { cookie: admin.cookie });
    const progress = follow(PROGRESS, { id: runId });
    try {
      assert.equal((await event(progress)).status, 'CANCELLED');
      assert.equal(await progress.next(), 'complete');
    } finally {
      progress.close();
    }
  });

  it('on a succeeded run, waits for the evaluation it is re-scored by, then completes', async () => {
    const runId = await queuedRun();
    await api.prisma.run.update({ where: { id: runId }, data: { status: 'SUCCEEDED', finishedAt: new Date() } });
    const evaluation = await api.prisma.evaluation.create({ data: { runId, status: 'QUEUED' } });
    const progress = follow(PROGRESS, { id: runId });
    try {
      assert.deepEqual((await event(progress)).evaluations, [{ status: 'QUEUED' }]);
      assert.ok(await progress.quietFor(300), 'still open while the evaluation is queued');
      await api.prisma.evaluation.update({ where: { id: evaluation.id }, data: { status: 'SUCCEEDED' } });
      await api.app.services.events.publish(Topic.RUN_PROGRESS, runId, { runId });
      assert.deepEqual((await event(progress)).evaluations, [{ status: 'SUCCEEDED' }]);
      assert.equal(await progress.next(), 'complete');
    } finally {
      progress.close();
    }
  });

  it('errors on an id that names no run (NOT_FOUND) or is no id at all (BAD_USER_INPUT)', async () => {
    for (const [id, code] of [
      [MISSING, 'NOT_FOUND'],
      ['nope', 'BAD_USER_INPUT'],
    ] as const) {
      const progress = follow(PROGRESS, { id });
      try {
        const item = await progress.next();
        assert.ok(typeof item === 'object' && 'errors' in item, `${id}: ${JSON.stringify(item)}`);
        assert.equal(item.errors[0]?.extensions?.code, code);
        assert.match(item.errors[0]!.message, id === 'nope' ? /runId "nope" is not a Run id/ : /Run .* does not exist/);
        if (code === 'BAD_USER_INPUT') assert.equal(item.errors[0]?.extensions?.field, 'runId');
        assert.equal(await progress.next(), 'complete');
      } finally {
        progress.close();
      }
    }
  });
});

describe('dataset subscriptions', () => {
  for (const field of ['maskChanged', 'imageLabelChanged']) {
    it(`${field} errors on an unknown or malformed dataset id, and stays open on a real one`, async () => {
      const query = `subscription($id: ID!) { ${field}(datasetId: $id) { __typename } }`;
      for (const [id, code] of [
        [MISSING, 'NOT_FOUND'],
        ['42', 'BAD_USER_INPUT'],
      ] as const) {
        const subscription = follow(query, { id });
        try {
          const item = await subscription.next();
          assert.ok(typeof item === 'object' && 'errors' in item, `${field} ${id}: ${JSON.stringify(item)}`);
          assert.equal(item.errors[0]?.extensions?.code, code, `${field} ${id}`);
        } finally {
          subscription.close();
        }
      }
      const open = follow(query, { id: datasetId });
      try {
        assert.ok(await open.quietFor(300));
      } finally {
        open.close();
      }
    });
  }
});

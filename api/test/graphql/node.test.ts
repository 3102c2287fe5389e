// node(id:) and nodes(ids:): any object by its id alone, with the read rules of its own query: every type that
// implements Node is found, an id that names nothing (or nothing the viewer may read) is null, one that is not a
// UUID is BAD_USER_INPUT.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { isInterfaceType, isObjectType } from 'graphql';

import { seedResults, type Seeded } from '../../bench/seed';
import { createSchema } from '../../src/schema';
import { startTestApi, type TestApi, type TestUser } from '../support/api';

const MISSING = '00000000-0000-4000-8000-000000000000';

let api: TestApi;
let seeded: Seeded;
let viewer: TestUser;
let admin: TestUser;

before(async () => {
  api = await startTestApi('node', () => {});
  seeded = await seedResults(api.databaseUrl, { images: 4, runs: 1, anomalousEvery: 2 }, 'node');
  viewer = await api.user('VIEWER');
  admin = await api.user('ADMIN');
});
after(() => api.close());

async function node(id: string, as: TestUser = viewer): Promise<{ __typename: string; id: string } | null> {
  const data = await api.ok<{ node: { __typename: string; id: string } | null }>(
    'query($id: ID!) { node(id: $id) { __typename id } }',
    { id },
    { cookie: as.cookie },
  );
  return data.node;
}

describe('node(id:)', () => {
  it('is implemented by every object type with an id', async () => {
    const schema = await createSchema();
    const nodeType = schema.getType('Node');
    assert.ok(nodeType && isInterfaceType(nodeType));
    const withId = Object.values(schema.getTypeMap()).filter(
      (type) =>
        isObjectType(type) &&
        !type.name.startsWith('__') &&
        !type.name.endsWith('Edge') &&
        String(type.getFields().id?.type) === 'ID!',
    );
    const missing = withId.filter((type) => isObjectType(type) && !type.getInterfaces().includes(nodeType));
    assert.deepEqual(
      missing.map((type) => type.name),
      [],
    );
  });

  it('finds objects of each type by id, with their type', async () => {
    const run = await api.prisma.run.findFirstOrThrow({ where: { id: seeded.runIds[0] } });
    const result = await api.prisma.result.findFirstOrThrow({ where: { runId: run.id } });
    const mask = await api.prisma.mask.findFirstOrThrow({ where: { datasetId: seeded.datasetId } });
    const expected: [string, string][] = [
      [seeded.datasetId, 'Dataset'],
      [run.id, 'Run'],
      [result.id, 'Result'],
      [result.imageId, 'Image'],
      [mask.id, 'Mask'],
      [viewer.id, 'User'],
    ];
    for (const [id, typename] of expected) assert.deepEqual(await node(id), { __typename: typename, id });
    const data = await api.ok<{ node: { name: string; results: { totalCount: number } } }>(
      'query($id: ID!) { node(id: $id) { ... on Run { name results(first: 1) { totalCount } } } }',
      { id: run.id },
      { cookie: viewer.cookie },
    );
    assert.equal(data.node.name, run.name);
    assert.equal(data.node.results.totalCount, 4);
  });

  it('answers null for an id that names nothing, BAD_USER_INPUT for one that is not an id', async () => {
    assert.equal(await node(MISSING), null);
    const answer = await api.gql('{ node(id: "run-1") { id } }', {}, { cookie: viewer.cookie });
    assert.equal(answer.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.equal(answer.errors?.[0]?.extensions?.field, 'id');
  });

  it('reads users and API keys as their own fields do: oneself, or anyone for admins', async () => {
    assert.equal(await node(admin.id, viewer), null, "a viewer cannot read another user's account by id");
    assert.deepEqual(await node(viewer.id, admin), { __typename: 'User', id: viewer.id });
    const key = await api.ok<{ createApiKey: { apiKey: { id: string } } }>(
      'mutation { createApiKey(name: "node", scopes: [READ]) { apiKey { id } } }',
      {},
      { cookie: admin.cookie },
    );
    const keyId = key.createApiKey.apiKey.id;
    assert.deepEqual(await node(keyId, admin), { __typename: 'ApiKey', id: keyId });
    assert.equal(await node(keyId, viewer), null);
  });

  it('reads webhooks and their deliveries for admins only, as webhook(id:) does', async () => {
    const created = await api.ok<{ createWebhook: { webhook: { id: string } } }>(
      'mutation { createWebhook(input: { url: "http://127.0.0.1:9/hook", events: [RUN_SUCCEEDED] }) { webhook { id } } }',
      {},
      { cookie: admin.cookie },
    );
    const webhookId = created.createWebhook.webhook.id;
    const test = await api.ok<{ sendTestWebhook: { id: string } }>(
      'mutation($id: ID!) { sendTestWebhook(id: $id) { id } }',
      { id: webhookId },
      { cookie: admin.cookie },
    );
    const deliveryId = test.sendTestWebhook.id;
    assert.deepEqual(await node(webhookId, admin), { __typename: 'Webhook', id: webhookId });
    assert.deepEqual(await node(deliveryId, admin), { __typename: 'WebhookDelivery', id: deliveryId });
    assert.equal(await node(webhookId, viewer), null);
    assert.equal(await node(deliveryId, viewer), null);
  });

  it('is refused without credentials', async () => {
    const answer = await api.gql('query($id: ID!) { node(id: $id) { id } }', { id: seeded.datasetId }, null);
    assert.equal(answer.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
  });
});

describe('nodes(ids:)', () => {
  it('answers each id in order, null where node(id:) would be', async () => {
    const ids = [seeded.runIds[0]!, MISSING, seeded.datasetId, seeded.runIds[0]!, admin.id];
    const data = await api.ok<{ nodes: ({ __typename: string; id: string } | null)[] }>(
      'query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }',
      { ids },
      { cookie: viewer.cookie },
    );
    assert.deepEqual(data.nodes, [
      { __typename: 'Run', id: seeded.runIds[0] },
      null,
      { __typename: 'Dataset', id: seeded.datasetId },
      { __typename: 'Run', id: seeded.runIds[0] },
      null,
    ]);
    const empty = await api.ok<{ nodes: unknown[] }>('{ nodes(ids: []) { id } }', {}, { cookie: viewer.cookie });
    assert.deepEqual(empty.nodes, []);
  });

  it('refuses a malformed id and more ids than a page holds', async () => {
    const malformed = await api.gql('{ nodes(ids: ["x"]) { id } }', {}, { cookie: viewer.cookie });
    assert.equal(malformed.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.equal(malformed.errors?.[0]?.extensions?.field, 'ids');
    const many = Array.from({ length: api.config.limits.maxPageSize + 1 }, () => MISSING);
    const tooMany = await api.gql(
      'query($ids: [ID!]!) { nodes(ids: $ids) { id } }',
      { ids: many },
      {
        cookie: viewer.cookie,
      },
    );
    assert.equal(tooMany.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
  });
});

// The role matrix: every query, mutation and subscription against every kind of credential. Missing or bad
// credentials are UNAUTHENTICATED, a role or scope too low is FORBIDDEN, and neither answer carries data.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { GraphQLSchema } from 'graphql';

import type { Permission } from '../../src/auth/viewer';
import { startTestApi, type Credentials, type TestApi } from '../support/api';
import { maskPng } from '../support/fixtures';
import { subscribe } from '../support/subscriptions';

const MISSING = '00000000-0000-4000-8000-000000000000';
let api: TestApi;
let tinyMask: string;
let counter = 0;

type Access = Permission | 'PUBLIC';

interface Operation {
  access: Access;
  /** A document and variables that pass validation; ids name nothing, so an allowed call changes nothing. */
  build(): { query: string; variables?: Record<string, unknown> };
}

const unique = () => `${Date.now()}-${++counter}`;

const OPERATIONS: Record<string, Operation> = {
  'Query.me': { access: 'READ', build: () => ({ query: '{ me { id } }' }) },
  'Query.users': { access: 'ADMIN', build: () => ({ query: '{ users(first: 1) { totalCount } }' }) },
  'Query.datasets': { access: 'READ', build: () => ({ query: '{ datasets(first: 1) { totalCount } }' }) },
  'Query.dataset': { access: 'READ', build: () => ({ query: `{ dataset(id: "${MISSING}") { id } }` }) },
  'Query.image': { access: 'READ', build: () => ({ query: `{ image(id: "${MISSING}") { id } }` }) },
  'Query.run': { access: 'READ', build: () => ({ query: `{ run(id: "${MISSING}") { id } }` }) },
  'Query.runs': { access: 'READ', build: () => ({ query: '{ runs(first: 1) { totalCount } }' }) },
  'Query.runPresets': { access: 'READ', build: () => ({ query: '{ runPresets { name } }' }) },
  'Query.runOptions': { access: 'READ', build: () => ({ query: '{ runOptions { name } }' }) },
  'Query.colourMaps': { access: 'READ', build: () => ({ query: '{ colourMaps { name } }' }) },
  'Query.result': { access: 'READ', build: () => ({ query: `{ result(id: "${MISSING}") { id } }` }) },
  'Query.evaluation': { access: 'READ', build: () => ({ query: `{ evaluation(id: "${MISSING}") { id } }` }) },
  'Query.export': { access: 'READ', build: () => ({ query: `{ export(id: "${MISSING}") { id } }` }) },
  'Query.maskImport': { access: 'READ', build: () => ({ query: `{ maskImport(id: "${MISSING}") { id } }` }) },
  'Query.datasetImport': {
    access: 'READ',
    build: () => ({ query: `{ datasetImport(id: "${MISSING}") { id } }` }),
  },
  'Query.exports': { access: 'READ', build: () => ({ query: '{ exports(last: 1) { totalCount } }' }) },
  'Query.node': { access: 'READ', build: () => ({ query: `{ node(id: "${MISSING}") { id } }` }) },
  'Query.nodes': { access: 'READ', build: () => ({ query: `{ nodes(ids: ["${MISSING}"]) { id } }` }) },
  'Query.prediction': { access: 'READ', build: () => ({ query: `{ prediction(id: "${MISSING}") { id } }` }) },
  'Query.webhooks': { access: 'ADMIN', build: () => ({ query: '{ webhooks(first: 1) { totalCount } }' }) },
  'Query.webhook': { access: 'ADMIN', build: () => ({ query: `{ webhook(id: "${MISSING}") { id } }` }) },
  // Only the test event, to a port nothing listens on: no worker runs here, nothing is sent.
  'Mutation.createWebhook': {
    access: 'ADMIN',
    build: () => ({
      query: 'mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { webhook { id } } }',
      variables: { i: { url: `http://127.0.0.1:9/${unique()}`, events: ['WEBHOOK_TEST'] } },
    }),
  },
  'Mutation.updateWebhook': {
    access: 'ADMIN',
    build: () => ({ query: `mutation { updateWebhook(input: { id: "${MISSING}", enabled: false }) { id } }` }),
  },
  'Mutation.deleteWebhook': {
    access: 'ADMIN',
    build: () => ({ query: `mutation { deleteWebhook(id: "${MISSING}") }` }),
  },
  'Mutation.rotateWebhookSecret': {
    access: 'ADMIN',
    build: () => ({ query: `mutation { rotateWebhookSecret(id: "${MISSING}") { secret } }` }),
  },
  'Mutation.redeliverWebhookDelivery': {
    access: 'ADMIN',
    build: () => ({ query: `mutation { redeliverWebhookDelivery(id: "${MISSING}") { id } }` }),
  },
  'Mutation.sendTestWebhook': {
    access: 'ADMIN',
    build: () => ({ query: `mutation { sendTestWebhook(id: "${MISSING}") { id } }` }),
  },
  'Mutation.login': {
    access: 'PUBLIC',
    build: () => ({
      // A new email each time: guesses at one account are limited.
      query: `mutation { login(email: "nobody-${unique()}@test.local", password: "wrong password") { user { id } } }`,
    }),
  },
  'Mutation.logout': { access: 'PUBLIC', build: () => ({ query: 'mutation { logout }' }) },
  'Mutation.createUser': {
    access: 'ADMIN',
    build: () => ({
      query: 'mutation($i: CreateUserInput!) { createUser(input: $i) { id } }',
      variables: {
        i: { email: `made-${unique()}@test.local`, name: 'Made', role: 'VIEWER', password: 'long enough pw' },
      },
    }),
  },
  'Mutation.createApiKey': {
    access: 'SESSION',
    build: () => ({ query: 'mutation { createApiKey(name: "matrix", scopes: [READ]) { apiKey { id } } }' }),
  },
  'Mutation.revokeApiKey': {
    access: 'SESSION',
    build: () => ({ query: `mutation { revokeApiKey(id: "${MISSING}") { id } }` }),
  },
  'Mutation.changePassword': {
    access: 'SESSION',
    // A wrong current password: allowed callers get BAD_USER_INPUT and keep their password.
    build: () => ({
      query:
        'mutation { changePassword(currentPassword: "not the password", newPassword: "a long new secret") { id } }',
    }),
  },
  'Mutation.endUserSessions': {
    access: 'ADMIN',
    build: () => ({ query: `mutation { endUserSessions(userId: "${MISSING}") }` }),
  },
  'Mutation.disableUser': {
    access: 'ADMIN',
    build: () => ({ query: `mutation { disableUser(id: "${MISSING}") { id } }` }),
  },
  'Mutation.enableUser': {
    access: 'ADMIN',
    build: () => ({ query: `mutation { enableUser(id: "${MISSING}") { id } }` }),
  },
  'Mutation.setUserRole': {
    access: 'ADMIN',
    build: () => ({ query: `mutation { setUserRole(id: "${MISSING}", role: VIEWER) { id } }` }),
  },
  'Mutation.createDataset': {
    access: 'ADMIN',
    build: () => ({
      query: 'mutation($n: String!) { createDataset(input: { name: $n }) { id } }',
      variables: { n: `matrix ${unique()}` },
    }),
  },
  'Mutation.importDataset': {
    access: 'ADMIN',
    build: () => ({ query: 'mutation { importDataset(input: { path: "/nonexistent/folder" }) { id } }' }),
  },
  'Mutation.startDatasetImport': {
    access: 'ADMIN',
    build: () => ({ query: 'mutation { startDatasetImport(input: { path: "/nonexistent/folder" }) { id } }' }),
  },
  'Mutation.deleteDataset': {
    access: 'ADMIN',
    build: () => ({ query: `mutation { deleteDataset(id: "${MISSING}") }` }),
  },
  'Mutation.renameDataset': {
    access: 'ADMIN',
    build: () => ({ query: `mutation { renameDataset(input: { id: "${MISSING}", name: "renamed" }) { id } }` }),
  },
  'Query.datasetNameAvailable': {
    access: 'ADMIN',
    build: () => ({ query: '{ datasetNameAvailable(name: "matrix") { available } }' }),
  },
  'Query.workerDevices': { access: 'READ', build: () => ({ query: '{ workerDevices { device } }' }) },
  'Mutation.renameRun': {
    access: 'ADMIN',
    build: () => ({ query: `mutation { renameRun(id: "${MISSING}", name: "renamed") { id } }` }),
  },
  'Mutation.deleteRun': {
    access: 'ADMIN',
    build: () => ({ query: `mutation { deleteRun(id: "${MISSING}") }` }),
  },
  'Mutation.saveMask': {
    access: 'ANNOTATE',
    build: () => ({
      query: 'mutation($p: String!) { saveMask(imageId: "' + MISSING + '", pngBase64: $p, baseVersion: 0) { id } }',
      variables: { p: tinyMask },
    }),
  },
  'Mutation.restoreMaskVersion': {
    access: 'ANNOTATE',
    build: () => ({
      query: `mutation { restoreMaskVersion(imageId: "${MISSING}", version: 1, baseVersion: 1) { id } }`,
    }),
  },
  'Mutation.labelImage': {
    access: 'ANNOTATE',
    build: () => ({ query: `mutation { labelImage(imageId: "${MISSING}", label: NORMAL) { id } }` }),
  },
  'Mutation.reviewMask': {
    access: 'ADMIN',
    build: () => ({ query: `mutation { reviewMask(maskId: "${MISSING}", decision: APPROVE) { id } }` }),
  },
  'Query.workspaceSettings': {
    access: 'READ',
    build: () => ({ query: '{ workspaceSettings { allowSelfReview } }' }),
  },
  // No argument: changes nothing.
  'Mutation.updateWorkspaceSettings': {
    access: 'ADMIN',
    build: () => ({ query: 'mutation { updateWorkspaceSettings { allowSelfReview } }' }),
  },
  'Mutation.assignImages': {
    access: 'ADMIN',
    build: () => ({
      query: `mutation { assignImages(datasetId: "${MISSING}", userId: "${MISSING}", imageIds: ["${MISSING}"]) }`,
    }),
  },
  'Mutation.unassignImages': {
    access: 'ADMIN',
    build: () => ({ query: `mutation { unassignImages(datasetId: "${MISSING}", defectType: "crack") }` }),
  },
  'Query.myAssignments': { access: 'READ', build: () => ({ query: '{ myAssignments(first: 1) { totalCount } }' }) },
  'Query.reviewQueue': { access: 'ADMIN', build: () => ({ query: '{ reviewQueue(first: 1) { totalCount } }' }) },
  'Query.nextMaskForReview': {
    access: 'ADMIN',
    build: () => ({ query: '{ nextMaskForReview { id } }' }),
  },
  'Mutation.startRun': {
    access: 'ADMIN',
    build: () => ({ query: `mutation { startRun(input: { datasetId: "${MISSING}" }) { id } }` }),
  },
  'Mutation.cancelRun': {
    access: 'ADMIN',
    build: () => ({ query: `mutation { cancelRun(id: "${MISSING}") { id } }` }),
  },
  'Mutation.resetUserPassword': {
    access: 'ADMIN',
    build: () => ({
      query: `mutation { resetUserPassword(id: "${MISSING}", newPassword: "a long new passphrase") { id } }`,
    }),
  },
  'Mutation.setRunThreshold': {
    access: 'ADMIN',
    build: () => ({ query: `mutation { setRunThreshold(runId: "${MISSING}", threshold: 1) { id } }` }),
  },
  'Mutation.evaluateRun': {
    access: 'ADMIN',
    build: () => ({ query: `mutation { evaluateRun(runId: "${MISSING}") { id } }` }),
  },
  'Mutation.exportRun': {
    access: 'ADMIN',
    build: () => ({ query: `mutation { exportRun(runId: "${MISSING}") { id } }` }),
  },
  'Mutation.exportMasks': {
    access: 'ADMIN',
    build: () => ({ query: `mutation { exportMasks(datasetId: "${MISSING}", which: APPROVED) { id } }` }),
  },
  'Mutation.importMasks': {
    access: 'ADMIN',
    build: () => ({ query: `mutation { importMasks(datasetId: "${MISSING}", uploadId: "${MISSING}") { id } }` }),
  },
  'Mutation.predict': {
    access: 'ANNOTATE',
    build: () => ({ query: `mutation { predict(runId: "${MISSING}", imageIds: ["${MISSING}"]) { id } }` }),
  },
  'Subscription.maskChanged': {
    access: 'READ',
    build: () => ({ query: `subscription { maskChanged(datasetId: "${MISSING}") { kind } }` }),
  },
  'Subscription.imageLabelChanged': {
    access: 'READ',
    build: () => ({ query: `subscription { imageLabelChanged(datasetId: "${MISSING}") { id } }` }),
  },
  'Subscription.runProgress': {
    access: 'READ',
    build: () => ({ query: `subscription { runProgress(runId: "${MISSING}") { id } }` }),
  },
  'Subscription.exportProgress': {
    access: 'READ',
    build: () => ({ query: `subscription { exportProgress(id: "${MISSING}") { id } }` }),
  },
  'Subscription.maskImportProgress': {
    access: 'READ',
    build: () => ({ query: `subscription { maskImportProgress(id: "${MISSING}") { id } }` }),
  },
  'Subscription.datasetImportProgress': {
    access: 'READ',
    build: () => ({ query: `subscription { datasetImportProgress(id: "${MISSING}") { id } }` }),
  },
  'Subscription.predictionProgress': {
    access: 'READ',
    build: () => ({ query: `subscription { predictionProgress(id: "${MISSING}") { id } }` }),
  },
};

interface Caller {
  name: string;
  credentials: Credentials;
  /** What these credentials may do; null for missing or bad credentials. */
  may: Access[] | null;
}

const callers: Caller[] = [];

function rootFields(schema: GraphQLSchema): string[] {
  return [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((type) =>
    type ? Object.keys(type.getFields()).map((field) => `${type.name}.${field}`) : [],
  );
}

before(async () => {
  api = await startTestApi('roles');
  tinyMask = (await maskPng(8, { x: 2, y: 2, r: 1 })).toString('base64');
  const admin = await api.user('ADMIN');
  const annotator = await api.user('ANNOTATOR');
  const viewer = await api.user('VIEWER');
  const key = async (cookie: string, scopes: string) =>
    (
      await api.ok<{ createApiKey: { secret: string } }>(
        `mutation { createApiKey(name: "k", scopes: [${scopes}]) { secret } }`,
        {},
        { cookie },
      )
    ).createApiKey.secret;
  callers.push(
    { name: 'anonymous', credentials: null, may: null },
    { name: 'forged cookie', credentials: { cookie: 'vad_session=forged-session-token' }, may: null },
    { name: 'bad key', credentials: { apiKey: 'vad_AAAAAAAAAAAA_' + 'x'.repeat(43) }, may: null },
    { name: 'viewer session', credentials: { cookie: viewer.cookie }, may: ['PUBLIC', 'READ', 'SESSION'] },
    { name: 'viewer READ key', credentials: { apiKey: await key(viewer.cookie, 'READ') }, may: ['PUBLIC', 'READ'] },
    {
      name: 'annotator session',
      credentials: { cookie: annotator.cookie },
      may: ['PUBLIC', 'READ', 'ANNOTATE', 'SESSION'],
    },
    {
      name: 'annotator WRITE key',
      credentials: { apiKey: await key(annotator.cookie, 'READ, WRITE') },
      may: ['PUBLIC', 'READ', 'ANNOTATE'],
    },
    { name: 'admin READ key', credentials: { apiKey: await key(admin.cookie, 'READ') }, may: ['PUBLIC', 'READ'] },
    {
      name: 'admin WRITE key',
      credentials: { apiKey: await key(admin.cookie, 'READ, WRITE') },
      may: ['PUBLIC', 'READ', 'ANNOTATE', 'ADMIN'],
    },
    // The admin session last: logout ends the session that calls it.
    {
      name: 'admin session',
      credentials: { cookie: admin.cookie },
      may: ['PUBLIC', 'READ', 'ANNOTATE', 'ADMIN', 'SESSION'],
    },
  );
});
after(() => api.close());

describe('role matrix', () => {
  it('covers every root field of the schema', () => {
    assert.deepEqual(rootFields(api.app.schema).sort(), Object.keys(OPERATIONS).sort());
  });

  it('every query and mutation answers each credential as its role and scope allow', async () => {
    const failures: string[] = [];
    for (const caller of callers) {
      for (const [field, operation] of Object.entries(OPERATIONS)) {
        if (field.startsWith('Subscription.')) continue;
        // logout ends the caller's session: it is asked last, below.
        if (field === 'Mutation.logout') continue;
        const { query, variables } = operation.build();
        const answer = await api.gql(query, variables, caller.credentials);
        const code = answer.errors?.[0]?.extensions?.code;
        const expected =
          operation.access === 'PUBLIC'
            ? 'allowed'
            : caller.may === null
              ? 'UNAUTHENTICATED'
              : caller.may.includes(operation.access)
                ? 'allowed'
                : 'FORBIDDEN';
        const got = code === 'UNAUTHENTICATED' || code === 'FORBIDDEN' ? code : 'allowed';
        // The public login answers UNAUTHENTICATED for a wrong password, which is its purpose, not a refusal.
        const fine = field === 'Mutation.login' ? code === 'UNAUTHENTICATED' : got === expected;
        if (!fine) failures.push(`${caller.name} ${field}: expected ${expected}, got ${code ?? 'data'}`);
        const values = answer.data ? Object.values(answer.data) : [];
        if (got !== 'allowed' && values.some((value) => value !== null)) {
          failures.push(`${caller.name} ${field}: a refusal carried data ${JSON.stringify(answer.data)}`);
        }
      }
    }
    assert.deepEqual(failures, []);
    for (const caller of callers) {
      const answer = await api.gql('mutation { logout }', {}, caller.credentials);
      assert.equal(answer.errors, undefined, caller.name);
      assert.equal(
        (answer.data as { logout: boolean }).logout,
        'cookie' in (caller.credentials ?? {}) && caller.may !== null,
        caller.name,
      );
    }
  });

  it('subscriptions need credentials too', async () => {
    for (const caller of callers.filter((entry) =>
      ['anonymous', 'forged cookie', 'bad key', 'viewer READ key'].includes(entry.name),
    )) {
      for (const field of Object.keys(OPERATIONS).filter((name) => name.startsWith('Subscription.'))) {
        const { query } = OPERATIONS[field]!.build();
        const subscription = await subscribe<unknown>(api.url, query, {}, caller.credentials);
        try {
          if (caller.may === null) {
            await assert.rejects(
              subscription.next(3000),
              (error: unknown) => JSON.stringify(error).includes('UNAUTHENTICATED'),
              `${caller.name} ${field}`,
            );
          } else {
            // Let through, to the check of the id, which names nothing.
            await assert.rejects(
              subscription.next(3000),
              (error: unknown) => JSON.stringify(error).includes('NOT_FOUND'),
              `${caller.name} ${field} gets past the credentials to NOT_FOUND`,
            );
          }
        } finally {
          await subscription.close();
        }
      }
    }
  });
});

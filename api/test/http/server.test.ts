// The HTTP surface and its guards: health, unknown routes, malformed requests, limits, and error masking.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import { startTestApi, type TestApi, type TestUser } from '../support/api';
import { subscribe } from '../support/subscriptions';

let api: TestApi;
let viewer: TestUser; // an admin: these tests are about limits, not roles

before(async () => {
  api = await startTestApi('server', (config) => {
    config.limits.maxQueryDepth = 4;
    config.limits.maxQueryComplexity = 500;
  });
  viewer = await api.user('ADMIN');
});
after(() => api.close());

interface Answer {
  data?: unknown;
  errors?: { message: string; locations?: unknown; extensions: { code: string } }[];
}

async function post(body: string, contentType = 'application/json'): Promise<{ status: number; json: Answer }> {
  const response = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': contentType, cookie: viewer.cookie },
    body,
  });
  return { status: response.status, json: (await response.json()) as Answer };
}

describe('HTTP routes', () => {
  it('GET /health reports the database and its migrations', async () => {
    const response = await fetch(`${api.url}/health`);
    assert.equal(response.status, 200);
    const body = (await response.json()) as {
      ok: boolean;
      database: { pendingMigrations: string[]; serverVersion: string };
    };
    assert.equal(body.ok, true);
    assert.deepEqual(body.database.pendingMigrations, []);
    assert.match(body.database.serverVersion, /^\d+/);
  });

  it('an unknown route is a 404 in the GraphQL error shape', async () => {
    const response = await fetch(`${api.url}/nope`);
    assert.equal(response.status, 404);
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    assert.equal(body.errors[0]?.extensions.code, 'NOT_FOUND');
  });
});

describe('malformed GraphQL', () => {
  it('a body that is not JSON is a 400 BAD_REQUEST', async () => {
    const { status, json } = await post('{"query": ');
    assert.equal(status, 400);
    assert.equal(json.errors?.[0]?.extensions.code, 'BAD_REQUEST');
  });

  it('a syntax error is GRAPHQL_PARSE_FAILED with its location', async () => {
    const { status, json } = await post(JSON.stringify({ query: '{ me { id ' }));
    assert.equal(status, 400);
    assert.equal(json.errors?.[0]?.extensions.code, 'GRAPHQL_PARSE_FAILED');
    assert.ok(json.errors?.[0]?.locations);
  });

  it('an unknown field is GRAPHQL_VALIDATION_FAILED naming it', async () => {
    const { status, json } = await post(JSON.stringify({ query: '{ me { id password } }' }));
    assert.equal(status, 400);
    assert.equal(json.errors?.[0]?.extensions.code, 'GRAPHQL_VALIDATION_FAILED');
    assert.match(json.errors?.[0]?.message, /password/);
  });

  it('a variable of the wrong type is a 400 naming the variable', async () => {
    const { status, json } = await post(
      JSON.stringify({ query: 'query($n: Int!) { users(first: $n) { totalCount } }', variables: { n: 'ten' } }),
    );
    assert.equal(status, 400);
    assert.equal(json.errors?.[0]?.extensions.code, 'BAD_USER_INPUT');
    assert.match(json.errors?.[0]?.message, /\$n/);
  });

  it('a request without a query is a 400', async () => {
    const { status } = await post(JSON.stringify({ variables: {} }));
    assert.equal(status, 400);
  });
});

describe('limits', () => {
  it('refuses a query nested deeper than the limit (fragments expanded), before running it', async () => {
    assert.equal((await post(JSON.stringify({ query: '{ me { apiKeys { id } } }' }))).status, 200);
    for (const query of [
      '{ users(first: 1) { edges { node { apiKeys { id } } } } }',
      '{ users(first: 1) { edges { ...E } } } fragment E on UserEdge { node { apiKeys { id } } }',
    ]) {
      const { status, json } = await post(JSON.stringify({ query }));
      assert.equal(status, 400);
      assert.equal(json.errors?.[0]?.extensions.code, 'QUERY_TOO_COMPLEX');
      assert.equal(json.errors?.[0]?.message, 'query is 5 levels deep; the limit is 4');
      assert.equal(json.data, undefined);
    }
  });

  it('refuses a query whose pages multiply past the complexity limit', async () => {
    const query = (first: number) => `{ users(first: ${first}) { edges { node { id email name role createdAt } } } }`;
    const small = await post(JSON.stringify({ query: query(10) }));
    assert.notEqual(small.json.errors?.[0]?.extensions?.code, 'QUERY_TOO_COMPLEX');
    const { status, json } = await post(JSON.stringify({ query: query(100) }));
    assert.equal(status, 400);
    assert.equal(json.errors?.[0]?.extensions.code, 'QUERY_TOO_COMPLEX');
    assert.match(json.errors?.[0]?.message, /^query complexity is \d+; the limit is 500/);
  });

  it('applies the same limits to subscriptions over graphql-ws', async () => {
    const query =
      'subscription($id: ID!) { imageLabelChanged(datasetId: $id) { dataset { createdBy { apiKeys { id } } } } }';
    const subscription = await subscribe<unknown>(api.url, query, { id: randomUUID() }, { cookie: viewer.cookie });
    try {
      await assert.rejects(subscription.next(3000), (error: unknown) => {
        const text = error instanceof Error ? error.message : JSON.stringify(error);
        return text.includes('QUERY_TOO_COMPLEX') && text.includes('query is 5 levels deep; the limit is 4');
      });
    } finally {
      await subscription.close();
    }
  });

  it('refuses a page larger than the maximum page size with a clear message', async () => {
    const admin = await api.user('ADMIN');
    const answer = await api.gql('{ users(first: 1000) { totalCount } }', {}, { cookie: admin.cookie });
    assert.equal(answer.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.equal(answer.errors?.[0]?.message, 'first must be between 1 and 100, got 1000');
    const zero = await api.gql('{ users(first: 0) { totalCount } }', {}, { cookie: admin.cookie });
    assert.equal(zero.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
  });

  it('refuses a body over the size limit with 413', async () => {
    const big = JSON.stringify({
      query: '{ me { id } }',
      variables: { pad: 'x'.repeat(api.config.limits.maxGraphqlBodyBytes) },
    });
    const { status, json } = await post(big);
    assert.equal(status, 413);
    assert.equal(json.errors?.[0]?.extensions.code, 'PAYLOAD_TOO_LARGE');
  });
});

describe('production errors', () => {
  it('masks internal errors: no message, no stack, no SQL', async () => {
    const production = await startTestApi('server_production', (config) => {
      config.production = true;
    });
    try {
      const user = await production.user('VIEWER');
      const healthy = await production.gql('{ me { id } }', {}, { cookie: user.cookie });
      assert.equal(healthy.errors, undefined);
      // A table gone from under the server: reading the user fails inside the server with an SQL error.
      await production.prisma.$executeRawUnsafe('ALTER TABLE "User" RENAME TO "UserGone"');
      const broken = await production.gql('{ me { id } }', {}, { cookie: user.cookie });
      assert.equal(broken.errors?.length, 1);
      // The field's path may stay (it is the client's own query); nothing of the cause does.
      const { path: _path, ...masked } = broken.errors![0]!;
      assert.deepEqual(masked, { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      // Client errors keep their messages, without stack traces.
      const parse = await production.gql('{ me {');
      assert.equal(parse.errors?.[0]?.extensions?.code, 'GRAPHQL_PARSE_FAILED');
      assert.equal(parse.errors?.[0]?.extensions?.stacktrace, undefined);
    } finally {
      await production.close();
    }
  });
});

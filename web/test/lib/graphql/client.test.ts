import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ApiError, createGraphqlClient, describeError } from '../../../lib/graphql/client';
import { MeDocument } from '../../../lib/graphql/generated';

function answering(status: number, body: unknown, seen: RequestInit[] = []): typeof fetch {
  return (async (_url: string, init: RequestInit) => {
    seen.push(init);
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });
  }) as typeof fetch;
}

describe('the typed GraphQL client', () => {
  it('posts the operation with its headers and returns data', async () => {
    const seen: RequestInit[] = [];
    const me = { id: '1', name: 'Ada', email: 'ada@x', role: 'ADMIN' };
    const client = createGraphqlClient({
      url: 'http://api/graphql',
      headers: { cookie: 'vad_session=abc' },
      fetch: answering(200, { data: { me } }, seen),
    });
    assert.deepEqual(await client.request(MeDocument), { me });
    const body = JSON.parse(String(seen[0]!.body)) as { query: string };
    assert.match(body.query, /query Me/);
    assert.equal((seen[0]!.headers as Record<string, string>).cookie, 'vad_session=abc');
  });

  it("throws the API's first error with its code", async () => {
    const client = createGraphqlClient({
      url: 'x',
      fetch: answering(200, { data: null, errors: [{ message: 'Sign in', extensions: { code: 'UNAUTHENTICATED' } }] }),
    });
    await assert.rejects(client.request(MeDocument), (error: unknown) => {
      assert.ok(error instanceof ApiError);
      assert.equal(error.code, 'UNAUTHENTICATED');
      assert.equal(error.message, 'Sign in');
      return true;
    });
  });

  it('says plainly when the API is unreachable or answers something that is not GraphQL', async () => {
    const down = createGraphqlClient({
      url: 'x',
      fetch: (async () => {
        throw new TypeError('fetch failed');
      }) as typeof fetch,
    });
    await assert.rejects(down.request(MeDocument), { code: 'API_UNREACHABLE' });
    const proxy = createGraphqlClient({ url: 'x', fetch: answering(502, '<html>Bad gateway</html>') });
    await assert.rejects(proxy.request(MeDocument), /answered 502/);
    assert.match(describeError(new Error('secret stack')), /Something went wrong/);
  });
});

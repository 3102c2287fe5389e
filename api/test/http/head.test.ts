// HEAD on the file routes answers like GET without the body (it was a 405): a client checks a file's size, type
// and ETag, or that it exists, without downloading it.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';

import { startTestApi, type TestApi, type TestUser } from '../support/api';

let api: TestApi;
let viewer: TestUser;

before(async () => {
  api = await startTestApi('head');
  viewer = await api.user('VIEWER');
});
after(() => api.close());

/** A request whose answer is read raw: fetch would hide whether a HEAD answer carried bytes. */
function request(
  method: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const sent = http.request(`${api.url}${path}`, { method, headers: { cookie: viewer.cookie, ...headers } });
    sent.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
      );
    });
    sent.on('error', reject);
    sent.end();
  });
}

describe('HEAD on file routes', () => {
  const legend = '/files/colour-maps/inferno.png';

  it('answers with GET’s status and headers, and no body', async () => {
    const get = await request('GET', legend);
    const head = await request('HEAD', legend);
    assert.equal(get.status, 200);
    assert.equal(head.status, 200);
    assert.ok(get.body.length > 0);
    assert.equal(head.body.length, 0);
    for (const name of ['content-type', 'content-length', 'etag', 'cache-control']) {
      assert.equal(head.headers[name], get.headers[name], name);
    }
    assert.equal(Number(head.headers['content-length']), get.body.length);
  });

  it('answers 304 to a known ETag, 404 to a missing file and 401 without credentials, as GET does', async () => {
    const { headers } = await request('HEAD', legend);
    assert.equal((await request('HEAD', legend, { 'if-none-match': String(headers.etag) })).status, 304);
    assert.equal((await request('HEAD', '/files/images/00000000-0000-4000-8000-000000000000')).status, 404);
    assert.equal((await request('HEAD', legend, { cookie: '' })).status, 401);
  });

  it('names GET and HEAD as the methods a file takes, and POST alone for uploads', async () => {
    const post = await request('POST', legend);
    assert.equal(post.status, 405);
    assert.equal(post.headers.allow, 'GET, HEAD');
    const upload = await request('HEAD', '/uploads');
    assert.equal(upload.status, 405);
    assert.equal(upload.headers.allow, 'POST');
  });

  it('HEAD /health answers like GET', async () => {
    const head = await request('HEAD', '/health');
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
  });
});

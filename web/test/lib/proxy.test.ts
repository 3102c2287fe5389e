import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';

import { forwardToApi } from '../../lib/proxy';

// A stand-in API that echoes what it received.
let server: http.Server;
let received: { method?: string; url?: string; headers: http.IncomingHttpHeaders; body: Buffer }[] = [];

before(async () => {
  server = http.createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    received.push({ method: request.method, url: request.url, headers: request.headers, body: Buffer.concat(chunks) });
    if (request.url?.startsWith('/files/cached')) {
      response.writeHead(304, { etag: '"abc"' });
      return response.end();
    }
    response.writeHead(201, {
      'content-type': 'application/json',
      'set-cookie': ['vad_session=token; Path=/; HttpOnly', 'other=1; Path=/'],
      'x-internal': 'not for browsers',
    });
    response.end(JSON.stringify({ ok: true }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.env.VAD_API_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

after(() => {
  server.close();
  delete process.env.VAD_API_URL;
});

describe('forwardToApi', () => {
  it('streams the request body and query to the same path on the API and passes cookies back', async () => {
    received = [];
    const body = Buffer.alloc(3 * 1024 * 1024, 7);
    const request = new Request('http://web.local/uploads?name=data.zip', {
      method: 'POST',
      headers: { 'content-type': 'application/zip', cookie: 'vad_session=old', 'x-forwarded-host': 'evil' },
      body,
    });
    const response = await forwardToApi(request, '/uploads');
    assert.equal(response.status, 201);
    assert.deepEqual(await response.json(), { ok: true });
    assert.deepEqual(response.headers.getSetCookie(), ['vad_session=token; Path=/; HttpOnly', 'other=1; Path=/']);
    assert.equal(response.headers.get('x-internal'), null, 'only the headers browsers need come back');
    const seen = received[0]!;
    assert.equal(seen.method, 'POST');
    assert.equal(seen.url, '/uploads?name=data.zip');
    assert.equal(seen.headers.cookie, 'vad_session=old');
    assert.equal(seen.headers['x-forwarded-host'], 'web.local', "the host asked, not the browser's header");
    assert.equal(seen.headers['x-forwarded-proto'], 'http');
    assert.ok(seen.body.equals(body));
  });

  it('passes 304 Not Modified without a body', async () => {
    const response = await forwardToApi(
      new Request('http://web.local/files/cached', { headers: { 'if-none-match': '"abc"' } }),
      '/files/cached',
    );
    assert.equal(response.status, 304);
    assert.equal(response.headers.get('etag'), '"abc"');
    assert.equal(received.at(-1)!.headers['if-none-match'], '"abc"');
  });

  it('answers 502 in the API error shape when the API is down', async () => {
    const saved = process.env.VAD_API_URL;
    process.env.VAD_API_URL = 'http://127.0.0.1:1';
    try {
      const response = await forwardToApi(
        new Request('http://web.local/graphql', { method: 'POST', body: '{}' }),
        '/graphql',
      );
      assert.equal(response.status, 502);
      const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
      assert.equal(body.errors[0]!.extensions.code, 'API_UNREACHABLE');
    } finally {
      process.env.VAD_API_URL = saved;
    }
  });
});

// Which pages may reach the API from a browser: the WebSocket upgrade checks Origin (a page of another site
// carrying the user's cookie got live events), and CORS headers go only to the origins VAD_CORS_ORIGINS lists.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import WebSocket from 'ws';

import { loadConfig } from '../../src/config';
import { startTestApi, type TestApi, type TestUser } from '../support/api';

const LISTED = 'https://lab.example.org';
const OTHER = 'https://evil.example.com';

let api: TestApi;
let viewer: TestUser;
let port: string;

before(async () => {
  api = await startTestApi('origins');
  viewer = await api.user('VIEWER');
  port = new URL(api.url).port;
});
after(() => api.close());

/** Opens a graphql-ws socket as a browser page of `origin` would (with the user's cookie); its HTTP status. */
function upgrade(origin: string | undefined, host?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { cookie: viewer.cookie };
    if (host) headers.host = host;
    const socket = new WebSocket(`${api.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws', {
      headers,
      ...(origin === undefined ? {} : { origin }),
    });
    socket.on('upgrade', (response) => {
      socket.close();
      resolve(response.statusCode ?? 0);
    });
    socket.on('unexpected-response', (_request, response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    socket.on('error', (error) => {
      if (!/closed before the connection/.test(error.message)) reject(error);
    });
  });
}

describe('the WebSocket upgrade', () => {
  before(() => {
    api.config.corsOrigins = [LISTED];
    api.config.webOrigins = [];
  });

  it('refuses a page of another site, cookie or not', async () => {
    assert.equal(await upgrade(OTHER), 403);
    assert.equal(await upgrade(`http://attacker.test:${port}`), 403);
    // Sandboxed frames and local files send "null".
    assert.equal(await upgrade('null'), 403);
  });

  it("lets in tools (no Origin), the API's own origin, the web app's and listed origins", async () => {
    assert.equal(await upgrade(undefined), 101);
    assert.equal(await upgrade(`http://127.0.0.1:${port}`), 101);
    // By default the web app is any port of the socket's host name (it opens the socket on its own host name).
    assert.equal(await upgrade('http://127.0.0.1:3000'), 101);
    assert.equal(await upgrade('http://localhost:3000', `localhost:${port}`), 101);
    assert.equal(await upgrade(LISTED), 101);
  });

  it('with VAD_WEB_ORIGINS, lets in only the named web app besides its own origin and listed ones', async () => {
    api.config.webOrigins = ['https://vad.example.org'];
    try {
      assert.equal(await upgrade('https://vad.example.org'), 101);
      assert.equal(await upgrade('http://127.0.0.1:3000'), 403);
      assert.equal(await upgrade(`http://127.0.0.1:${port}`), 101);
      assert.equal(await upgrade(LISTED), 101);
    } finally {
      api.config.webOrigins = [];
    }
  });
});

describe('CORS over HTTP', () => {
  const query = JSON.stringify({ query: '{ me { email } }' });
  const post = (origin: string) =>
    fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: viewer.cookie, origin },
      body: query,
    });
  const preflight = (origin: string, path = '/graphql') =>
    fetch(`${api.url}${path}`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });

  it('sends nothing when VAD_CORS_ORIGINS is unset', async () => {
    api.config.corsOrigins = [];
    const answer = await post(LISTED);
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('access-control-allow-origin'), null);
    assert.equal(answer.headers.get('access-control-allow-credentials'), null);
    const asked = await preflight(LISTED);
    await asked.arrayBuffer();
    assert.equal(asked.headers.get('access-control-allow-origin'), null);
  });

  describe('with VAD_CORS_ORIGINS', () => {
    before(() => {
      api.config.corsOrigins = [LISTED];
    });

    it('answers a listed origin with its origin and credentials, on GraphQL and file routes', async () => {
      const answer = await post(LISTED);
      assert.equal(answer.status, 200);
      assert.deepEqual(await answer.json(), { data: { me: { email: viewer.email } } });
      assert.equal(answer.headers.get('access-control-allow-origin'), LISTED);
      assert.equal(answer.headers.get('access-control-allow-credentials'), 'true');
      assert.match(answer.headers.get('vary') ?? '', /Origin/);
      const file = await fetch(`${api.url}/files/colour-maps/inferno.png`, {
        headers: { cookie: viewer.cookie, origin: LISTED },
      });
      await file.arrayBuffer();
      assert.equal(file.status, 200);
      assert.equal(file.headers.get('access-control-allow-origin'), LISTED);
    });

    it('answers the preflight of a listed origin', async () => {
      const answer = await preflight(LISTED);
      assert.equal(answer.status, 204);
      assert.equal(answer.headers.get('access-control-allow-origin'), LISTED);
      assert.equal(answer.headers.get('access-control-allow-credentials'), 'true');
      assert.match(answer.headers.get('access-control-allow-methods') ?? '', /POST/);
      assert.equal(answer.headers.get('access-control-allow-headers'), 'authorization, content-type');
      const upload = await preflight(LISTED, '/uploads');
      assert.equal(upload.status, 204);
      assert.equal(upload.headers.get('access-control-allow-origin'), LISTED);
    });

    it('gives any other origin no CORS header, so that its pages cannot read answers', async () => {
      for (const origin of [OTHER, 'null', `${LISTED}.evil.example.com`]) {
        const answer = await post(origin);
        await answer.arrayBuffer();
        assert.equal(answer.headers.get('access-control-allow-origin'), null, origin);
        assert.equal(answer.headers.get('access-control-allow-credentials'), null, origin);
        const asked = await preflight(origin);
        assert.equal(asked.headers.get('access-control-allow-origin'), null, origin);
        assert.equal(asked.headers.get('access-control-allow-methods'), null, origin);
      }
    });
  });
});

describe('VAD_CORS_ORIGINS and VAD_WEB_ORIGINS', () => {
  it('are read as origins, and anything else names the variable', () => {
    const config = loadConfig({
      VAD_CORS_ORIGINS: 'https://Lab.Example.org:443, http://localhost:5173',
      VAD_WEB_ORIGINS: 'https://vad.example.org/',
    });
    assert.deepEqual(config.corsOrigins, ['https://lab.example.org', 'http://localhost:5173']);
    assert.deepEqual(config.webOrigins, ['https://vad.example.org']);
    assert.deepEqual(loadConfig({}).corsOrigins, []);
    for (const bad of ['*', 'lab.example.org', 'https://lab.example.org/app', 'ftp://lab.example.org']) {
      assert.throws(() => loadConfig({ VAD_CORS_ORIGINS: bad }), /VAD_CORS_ORIGINS: .* is not an origin/, bad);
    }
  });
});

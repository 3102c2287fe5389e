// The origin file URLs start with: a trusted proxy's X-Forwarded-Host, else VAD_PUBLIC_URL, else the Host asked.
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';

import { DEFAULT_TRUSTED_PROXIES, loadConfig } from '../../src/config';
import { EnvironmentError } from '../../src/db';
import { publicOrigin } from '../../src/http/public-origin';

function request(socket: string, headers: Record<string, string>, encrypted = false): IncomingMessage {
  return { socket: { remoteAddress: socket, encrypted }, headers } as unknown as IncomingMessage;
}

const config = { trustedProxies: DEFAULT_TRUSTED_PROXIES, publicUrl: null, port: 4000 };
const WEB = { host: '127.0.0.1:4000', 'x-forwarded-host': 'vad.example.org', 'x-forwarded-proto': 'https' };

describe('publicOrigin', () => {
  it("is the Host a script asked, https over TLS, and the API's own address without one", () => {
    assert.equal(publicOrigin(request('203.0.113.9', { host: 'api.lab:4000' }), config), 'http://api.lab:4000');
    assert.equal(publicOrigin(request('203.0.113.9', { host: 'API.lab' }, true), config), 'https://api.lab');
    assert.equal(publicOrigin(request('203.0.113.9', {}), config), 'http://localhost:4000');
  });

  it('is what a trusted proxy (the web app) forwards, and nobody else', () => {
    assert.equal(publicOrigin(request('::ffff:127.0.0.1', WEB), config), 'https://vad.example.org');
    assert.equal(publicOrigin(request('203.0.113.9', WEB), config), 'http://127.0.0.1:4000', 'untrusted: ignored');
    const plain = { host: 'x', 'x-forwarded-host': 'web.lab:3000' };
    assert.equal(publicOrigin(request('127.0.0.1', plain), config), 'http://web.lab:3000', 'http without a proto');
  });

  it('is VAD_PUBLIC_URL when no trusted proxy says, before the Host', () => {
    const configured = { ...config, publicUrl: 'https://vad.example.org' };
    assert.equal(publicOrigin(request('203.0.113.9', { host: 'internal:4000' }), configured), configured.publicUrl);
    assert.equal(
      publicOrigin(request('127.0.0.1', { ...WEB, 'x-forwarded-host': 'web.lab' }), configured),
      'https://web.lab',
    );
  });

  it('never builds a URL of a malformed host or an unknown scheme', () => {
    const malformed: Record<string, string>[] = [
      { 'x-forwarded-host': 'evil.example/path' },
      { 'x-forwarded-host': 'a b' },
      { 'x-forwarded-host': 'web.lab', 'x-forwarded-proto': 'javascript' },
    ];
    for (const forwarded of malformed) {
      assert.equal(publicOrigin(request('127.0.0.1', { host: 'api.lab', ...forwarded }), config), 'http://api.lab');
    }
    assert.equal(publicOrigin(request('203.0.113.9', { host: 'user@evil' }), config), 'http://localhost:4000');
  });
});

describe('VAD_PUBLIC_URL', () => {
  it('is one origin, normalised; anything else names the variable', () => {
    assert.equal(loadConfig({ VAD_PUBLIC_URL: 'HTTPS://Vad.Example.org:443' }).publicUrl, 'https://vad.example.org');
    assert.equal(loadConfig({}).publicUrl, null);
    assert.throws(() => loadConfig({ VAD_PUBLIC_URL: 'https://vad.example.org/api' }), EnvironmentError);
    assert.throws(() => loadConfig({ VAD_PUBLIC_URL: 'https://a.org,https://b.org' }), /VAD_PUBLIC_URL: one origin/);
  });
});

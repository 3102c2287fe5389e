// Which address a sign-in guess is counted against: the socket's, unless a trusted proxy speaks for someone else.
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';

import { DEFAULT_TRUSTED_PROXIES } from '../../src/config';
import { clientAddress } from '../../src/http/client-address';

function request(socket: string, forwardedFor?: string): IncomingMessage {
  const headers = forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor };
  return { socket: { remoteAddress: socket }, headers } as unknown as IncomingMessage;
}

describe('clientAddress', () => {
  it('is the socket address when nobody forwards', () => {
    assert.equal(clientAddress(request('198.51.100.4'), DEFAULT_TRUSTED_PROXIES), '198.51.100.4');
  });

  it('ignores X-Forwarded-For from an untrusted peer (anyone can write it)', () => {
    assert.equal(clientAddress(request('198.51.100.4', '203.0.113.9'), DEFAULT_TRUSTED_PROXIES), '198.51.100.4');
  });

  it('believes the web app on loopback: the browser is the address it forwards', () => {
    assert.equal(clientAddress(request('::ffff:127.0.0.1', '203.0.113.9'), DEFAULT_TRUSTED_PROXIES), '203.0.113.9');
  });

  it('takes the last entry a trusted proxy did not write, not a spoofed first one', () => {
    const trusted = [...DEFAULT_TRUSTED_PROXIES, '10.0.0.2'];
    assert.equal(clientAddress(request('127.0.0.1', '1.2.3.4, 203.0.113.9, 10.0.0.2'), trusted), '203.0.113.9');
  });

  it('falls back to the proxy itself when every forwarded entry is a trusted proxy', () => {
    assert.equal(clientAddress(request('127.0.0.1', '::1'), DEFAULT_TRUSTED_PROXIES), '127.0.0.1');
  });
});

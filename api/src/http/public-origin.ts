import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

import type { Config } from '../config';

// A host as a Host or X-Forwarded-Host header may carry it: a name or an address, and a port. Anything else
// (spaces, paths, user info) is not used to build URLs.
const HOST = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

function firstValue(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value?.split(',')[0]?.trim() || undefined;
}

/**
 * The origin the client reached the API at, which the file URLs of its answers start with: the one a trusted
 * proxy (the web app, a reverse proxy: VAD_TRUSTED_PROXIES) forwarded in X-Forwarded-Host and X-Forwarded-Proto,
 * else VAD_PUBLIC_URL, else the request's own Host. So the web app's pages get URLs of the web app, whose /files
 * proxy carries the session cookie, and a script gets URLs of the address it called.
 */
export function publicOrigin(
  request: IncomingMessage,
  config: Pick<Config, 'trustedProxies' | 'publicUrl' | 'port'>,
): string {
  const socket = request.socket.remoteAddress;
  if (socket !== undefined && config.trustedProxies.includes(socket)) {
    const host = firstValue(request.headers['x-forwarded-host']);
    const proto = firstValue(request.headers['x-forwarded-proto'])?.toLowerCase() ?? 'http';
    if (host && HOST.test(host) && (proto === 'http' || proto === 'https')) return `${proto}://${host.toLowerCase()}`;
  }
  if (config.publicUrl) return config.publicUrl;
  const host = firstValue(request.headers.host);
  const proto = (request.socket as Partial<TLSSocket>).encrypted ? 'https' : 'http';
  return host && HOST.test(host) ? `${proto}://${host.toLowerCase()}` : `${proto}://localhost:${config.port}`;
}

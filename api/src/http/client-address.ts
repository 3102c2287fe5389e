import type { IncomingMessage } from 'node:http';

/**
 * The address a request came from, for per-address limits. A proxy in `trustedProxies` (the web app, a reverse
 * proxy) speaks for others: then the address is the last X-Forwarded-For entry that is not itself a trusted
 * proxy, since each proxy appends the address it saw and only the entries trusted proxies wrote can be believed.
 */
export function clientAddress(request: IncomingMessage, trustedProxies: readonly string[]): string | undefined {
  const socket = request.socket.remoteAddress;
  if (socket === undefined || !trustedProxies.includes(socket)) return socket;
  const header = request.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  for (let i = forwarded.length - 1; i >= 0; i -= 1) {
    if (!trustedProxies.includes(forwarded[i]!)) return forwarded[i];
  }
  return socket;
}

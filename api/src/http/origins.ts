import type { IncomingMessage, ServerResponse } from 'node:http';

import type { Config } from '../config';

type OriginConfig = Pick<Config, 'corsOrigins' | 'webOrigins'>;

/** The request's Origin header as an origin (`null` and anything unparsable: null). */
function originOf(request: IncomingMessage): URL | null {
  const header = request.headers.origin;
  if (header === undefined || header === 'null') return null;
  try {
    return new URL(header);
  } catch {
    return null;
  }
}

/**
 * Whether a WebSocket upgrade may go on. Browsers send the session cookie with a socket any page opens and no
 * CORS rule stops it, so the page's origin is checked instead: no Origin (not a browser: scripts and tools), the
 * API's own origin, the web app's (VAD_WEB_ORIGINS, or by default any port of the host name the socket was asked
 * on, since the web app opens it on its own host name) or one listed in VAD_CORS_ORIGINS.
 */
export function socketOriginAllowed(request: IncomingMessage, config: OriginConfig): boolean {
  if (request.headers.origin === undefined) return true;
  const origin = originOf(request);
  if (!origin) return false;
  const host = request.headers.host;
  let asked: URL | null = null;
  try {
    // The Host header read with the page's scheme, so that default ports compare equal.
    asked = host ? new URL(`${origin.protocol}//${host}`) : null;
  } catch {
    asked = null;
  }
  if (asked && asked.host === origin.host) return true;
  if (config.corsOrigins.includes(origin.origin)) return true;
  if (config.webOrigins.length > 0) return config.webOrigins.includes(origin.origin);
  return asked !== null && asked.hostname === origin.hostname;
}

/** What a preflight may ask for: every method the API's routes take. */
const ALLOWED_METHODS = 'GET, HEAD, POST, OPTIONS';
/** How long a browser may keep a preflight's answer. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * CORS for the HTTP routes, opt-in: with VAD_CORS_ORIGINS unset nothing is added (the web app calls the API from
 * its own server, and scripts need no CORS). A listed origin gets its own origin back with credentials allowed;
 * any other gets no CORS header, so that browsers keep its pages from reading answers. Answers a preflight
 * (OPTIONS with Access-Control-Request-Method) itself and returns true then.
 */
export function applyCors(request: IncomingMessage, response: ServerResponse, config: OriginConfig): boolean {
  if (config.corsOrigins.length === 0) return false;
  // Answers differ by Origin: shared caches must keep them apart.
  response.setHeader('vary', 'Origin');
  const origin = originOf(request);
  const listed = origin !== null && config.corsOrigins.includes(origin.origin);
  if (listed) {
    response.setHeader('access-control-allow-origin', origin.origin);
    response.setHeader('access-control-allow-credentials', 'true');
  }
  const preflight = request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined;
  if (!preflight) return false;
  if (listed) {
    response.setHeader('access-control-allow-methods', ALLOWED_METHODS);
    const asked = request.headers['access-control-request-headers'];
    if (asked) response.setHeader('access-control-allow-headers', asked);
    response.setHeader('access-control-max-age', String(PREFLIGHT_MAX_AGE_SECONDS));
  }
  response.writeHead(204, { 'content-length': 0 });
  response.end();
  return true;
}

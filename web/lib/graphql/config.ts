// Where the GraphQL API is. Read at request time (not inlined at build time), so one build serves any deployment.

const DEFAULT_API_URL = 'http://localhost:4000';

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** The API as this server reaches it (VAD_API_URL), e.g. http://api:4000 inside a compose network. */
export function apiUrl(): string {
  return trimSlash(process.env.VAD_API_URL || DEFAULT_API_URL);
}

/**
 * Where browsers open the graphql-ws socket. Next cannot proxy WebSocket upgrades from route handlers, so the
 * browser talks to the API directly: VAD_PUBLIC_API_URL when set (e.g. https://vad.example.org behind a proxy that
 * sends /graphql upgrades to the API); otherwise null, and the browser uses its own host name with the API's port,
 * which carries the session cookie since cookies are per host, not per port.
 */
export function publicSubscriptionsUrl(): string | null {
  const configured = process.env.VAD_PUBLIC_API_URL;
  if (!configured) return null;
  return `${trimSlash(configured).replace(/^http/, 'ws')}/graphql`;
}

/** The API's port, for browsers that derive the socket address from their own host name. */
export function apiPort(): string {
  const url = new URL(apiUrl());
  return url.port || (url.protocol === 'https:' ? '443' : '80');
}

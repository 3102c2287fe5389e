import { apiUrl } from './graphql/config';

// The browser talks to this app only; these headers carry what the API needs (credentials, body type, caching,
// and the browser's address: Next puts it in X-Forwarded-For, which the API believes from this app only).
const REQUEST_HEADERS = [
  'accept',
  'authorization',
  'content-length',
  'content-type',
  'cookie',
  'if-none-match',
  'x-forwarded-for',
];
const RESPONSE_HEADERS = ['allow', 'cache-control', 'content-type', 'etag', 'x-content-type-options'];

/**
 * Forwards a request to the same path on the API and streams the answer back (bodies are never buffered, so
 * zip uploads of any size pass). Set-Cookie passes too: the session cookie lands on this app's host.
 */
export async function forwardToApi(request: Request, pathname: string): Promise<Response> {
  const search = new URL(request.url).search;
  const headers = new Headers();
  for (const name of REQUEST_HEADERS) {
    const value = request.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  // The API makes its file URLs absolute on the origin it was reached at: for the browser that is this app, whose
  // /files route serves them with the session cookie. Taken from the URL asked, never from the browser's headers.
  const asked = new URL(request.url);
  headers.set('x-forwarded-host', asked.host);
  headers.set('x-forwarded-proto', asked.protocol.slice(0, -1));
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  let upstream: Response;
  try {
    upstream = await fetch(`${apiUrl()}${pathname}${search}`, {
      method: request.method,
      headers,
      body: hasBody ? request.body : null,
      redirect: 'manual',
      cache: 'no-store',
      signal: request.signal,
      // Node's fetch needs this to stream a request body.
      ...(hasBody ? { duplex: 'half' } : {}),
    } as RequestInit);
  } catch {
    return Response.json(
      { errors: [{ message: 'The API is not reachable right now', extensions: { code: 'API_UNREACHABLE' } }] },
      { status: 502 },
    );
  }
  const answer = new Headers();
  for (const name of RESPONSE_HEADERS) {
    const value = upstream.headers.get(name);
    if (value !== null) answer.set(name, value);
  }
  for (const cookie of upstream.headers.getSetCookie()) answer.append('set-cookie', cookie);
  const nullBody = upstream.status === 204 || upstream.status === 304;
  return new Response(nullBody ? null : upstream.body, {
    status: upstream.status,
    statusText: upstream.statusText,
    headers: answer,
  });
}

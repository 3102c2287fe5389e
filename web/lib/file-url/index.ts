/**
 * The path this app serves a file of the API from (its /files proxy carries the session cookie). The API's file
 * URLs are absolute, on the origin it was reached at: this app's for what came through this app, the API's own for
 * what came over the WebSocket, whose origin the browser cannot read pixels from nor send the cookie to.
 */
export function appFileUrl(url: string): string {
  if (url.startsWith('/')) return url;
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
}

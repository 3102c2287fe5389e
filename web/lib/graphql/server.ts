import { cookies, headers } from 'next/headers';
import { cache } from 'react';

import { apiUrl } from './config';
import { createGraphqlClient, type GraphqlClient } from './client';

/** The API's session cookie (api/src/auth/cookies.ts): the browser holds it, the server forwards it. */
export const SESSION_COOKIE = 'vad_session';

/**
 * The client server components use: straight to the API, with the signed-in user's session cookie. One per
 * request (React cache), so pages and layouts share it.
 */
export const serverClient = cache(async (): Promise<GraphqlClient> => {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  // The API's file URLs are absolute on the origin it was reached at: this app's, as the browser asked it, so that
  // pages load files through this app's /files route (lib/proxy.ts does the same).
  const asked = await headers();
  const host = asked.get('host');
  const proto = asked.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https' ? 'https' : 'http';
  return createGraphqlClient({
    url: `${apiUrl()}/graphql`,
    headers: {
      ...(token ? { cookie: `${SESSION_COOKIE}=${encodeURIComponent(token)}` } : {}),
      ...(host ? { 'x-forwarded-host': host, 'x-forwarded-proto': proto } : {}),
    },
  });
});

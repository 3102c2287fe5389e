import { cookies } from 'next/headers';
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
  return createGraphqlClient({
    url: `${apiUrl()}/graphql`,
    headers: token ? { cookie: `${SESSION_COOKIE}=${encodeURIComponent(token)}` } : {},
  });
});

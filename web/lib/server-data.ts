import { notFound, redirect } from 'next/navigation';
import { cache } from 'react';

import { capabilitiesOf, currentUser, type Session } from './domain/session';
import { ApiError, type GraphqlClient } from './graphql/client';
import { serverClient } from './graphql/server';

export type Loaded<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * Runs a server component's reads: no session goes to sign-in, an unknown id to the not-found page, and any
 * other refusal or outage comes back as a message to show in place (pages render it; nothing is thrown at
 * the user). Programming errors still throw, to the route's error boundary.
 */
export async function load<T>(work: (client: GraphqlClient) => Promise<T>): Promise<Loaded<T>> {
  const client = await serverClient();
  try {
    return { ok: true, value: await work(client) };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.code === 'UNAUTHENTICATED') redirect('/sign-in');
    if (error.code === 'NOT_FOUND') notFound();
    return { ok: false, message: error.message };
  }
}

/** `value`, or the not-found page when the API answered null for an id. */
export function found<T>(value: T | null | undefined): T {
  if (value == null) notFound();
  return value;
}

/** The signed-in user of this request (one `me` query per request), or a redirect to sign-in. */
export const requireSession = cache(async (): Promise<Loaded<Session>> => {
  const user = await load((client) => currentUser(client));
  if (!user.ok) return user;
  if (!user.value) redirect('/sign-in');
  return { ok: true, value: { user: user.value, can: capabilitiesOf(user.value.role) } };
});

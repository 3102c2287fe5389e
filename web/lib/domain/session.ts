import { ApiError, isApiError, type GraphqlClient } from '../graphql/client';
import { LoginDocument, LogoutDocument, MeDocument, type MeQuery, type Role } from '../graphql/generated';

export type CurrentUser = MeQuery['me'];

/** What the signed-in user's role lets the interface offer (the API enforces the same rules). */
export interface Capabilities {
  /** Draw and save masks. */
  annotate: boolean;
  /** Import datasets, launch and cancel runs, review masks, re-evaluate, manage API keys. */
  admin: boolean;
}

export function capabilitiesOf(role: Role): Capabilities {
  return { annotate: role === 'ANNOTATOR' || role === 'ADMIN', admin: role === 'ADMIN' };
}

export const ROLE_LABELS: Record<Role, string> = { ADMIN: 'Admin', ANNOTATOR: 'Annotator', VIEWER: 'Viewer' };

/** The signed-in user, or null when there is no valid session. */
export async function currentUser(client: GraphqlClient): Promise<CurrentUser | null> {
  try {
    return (await client.request(MeDocument)).me;
  } catch (error) {
    if (isApiError(error, 'UNAUTHENTICATED')) return null;
    throw error;
  }
}

export async function signIn(client: GraphqlClient, email: string, password: string): Promise<void> {
  if (!email.trim() || !password) throw new ApiError('Enter your email and password', 'BAD_USER_INPUT');
  await client.request(LoginDocument, { email: email.trim(), password });
}

export async function signOut(client: GraphqlClient): Promise<void> {
  await client.request(LogoutDocument);
}

/** The signed-in user and what the interface offers them. */
export interface Session {
  user: CurrentUser;
  can: Capabilities;
}

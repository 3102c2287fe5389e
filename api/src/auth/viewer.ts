import type { ApiKeyScope, Role } from '@prisma/client';

/**
 * What an operation needs. READ: any signed-in user or API key. ANNOTATE: annotators and admins (saving masks,
 * labelling images). ADMIN: everything else that writes. SESSION: a signed-in person (not an API key), e.g. to
 * mint API keys.
 */
export type Permission = 'READ' | 'ANNOTATE' | 'ADMIN' | 'SESSION';

export interface ViewerUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export type Credential =
  { kind: 'session'; sessionId: string } | { kind: 'apiKey'; apiKeyId: string; scopes: ApiKeyScope[] };

/** Who is asking, once their credentials have been checked. */
export interface Viewer {
  user: ViewerUser;
  credential: Credential;
}

/** The outcome of checking a request's credentials: a viewer, or why there is none. */
export type Authentication = { viewer: Viewer; problem: null } | { viewer: null; problem: string | null };

const RANK: Record<Role, number> = { VIEWER: 0, ANNOTATOR: 1, ADMIN: 2 };

/** A READ-only key acts as a viewer whatever its owner's role; a WRITE key acts with its owner's role. */
export function effectiveRole(viewer: Viewer): Role {
  if (viewer.credential.kind === 'apiKey' && !viewer.credential.scopes.includes('WRITE')) return 'VIEWER';
  return viewer.user.role;
}

export function allows(viewer: Viewer, permission: Permission): boolean {
  const rank = RANK[effectiveRole(viewer)];
  switch (permission) {
    case 'READ':
      return true;
    case 'ANNOTATE':
      return rank >= RANK.ANNOTATOR;
    case 'ADMIN':
      return rank >= RANK.ADMIN;
    case 'SESSION':
      return viewer.credential.kind === 'session';
  }
}

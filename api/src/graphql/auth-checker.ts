import type { AuthChecker } from 'type-graphql';

import { requirePermissions, type Permission } from '../auth/viewer';
import type { Context } from './context';

/**
 * type-graphql's hook behind every @Authorized(...) field: it throws UNAUTHENTICATED (no or bad credentials)
 * or FORBIDDEN (role or key scope too low) itself, so that clients get the precise code and no data.
 */
export const authChecker: AuthChecker<Context, Permission> = ({ context }, permissions) => {
  requirePermissions(context.auth, permissions.length > 0 ? permissions : ['READ']);
  return true;
};

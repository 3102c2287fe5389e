import type { Viewer, Authentication } from '../auth/viewer';
import type { Services } from '../services';
import { UnauthenticatedError } from './errors';
import { Loaders } from './loaders';

/** Lets a resolver shape the HTTP response (login and logout set the session cookie). */
export interface ResponseControl {
  setCookie(cookie: string): void;
}

/** Everything a resolver sees of its request: who asks, the services, and this request's DataLoaders. */
export interface Context {
  auth: Authentication;
  services: Services;
  loaders: Loaders;
  response: ResponseControl;
  /** Where the request came from (http/client-address.ts), for per-address sign-in limits; unknown: undefined. */
  clientAddress: string | undefined;
  /** The origin the client reached the API at (http/public-origin.ts): file URLs start with it. */
  publicOrigin: string;
}

export function createContext(
  services: Services,
  auth: Authentication,
  response: ResponseControl,
  clientAddress: string | undefined,
  publicOrigin: string,
): Context {
  return {
    auth,
    services,
    loaders: new Loaders(services.prisma, services.reads),
    response,
    clientAddress,
    publicOrigin,
  };
}

/** A file route's absolute URL (`/files/...` at the origin the client reached the API at). */
export function fileUrl(context: Pick<Context, 'publicOrigin'>, path: string): string {
  return `${context.publicOrigin}${path}`;
}

/** The viewer of a field that needs credentials (enforcePermissions has already refused anonymous requests). */
export function viewerOf(context: Context): Viewer {
  if (!context.auth.viewer) throw new UnauthenticatedError(context.auth.problem ?? undefined);
  return context.auth.viewer;
}

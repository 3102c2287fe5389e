import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';

import { clearedSessionCookie, sessionCookie } from '../../auth/cookies';
import type { Context } from '../../graphql/context';
import { Requires } from '../../graphql/permissions';
import { LoginResult } from './session.type';

@Resolver()
export class SessionResolver {
  // Public on purpose: signing in is how credentials are obtained.
  @Requires('PUBLIC')
  @Mutation(() => LoginResult, { description: 'Signs in with email and password and sets the session cookie.' })
  async login(
    @Arg('email', () => String, { description: 'Sign-in address.' }) email: string,
    @Arg('password', () => String, { description: 'Password.' }) password: string,
    @Ctx() context: Context,
  ): Promise<LoginResult> {
    const { sessions, config } = context.services;
    const { user, token, sessionId } = await sessions.login(email, password);
    context.response.setCookie(sessionCookie(token, sessions.maxAgeSeconds, config.secureCookies));
    // The rest of this answer (the user's fields) is read as the user who just signed in.
    context.auth = {
      viewer: {
        user: { id: user.id, email: user.email, name: user.name, role: user.role },
        credential: { kind: 'session', sessionId },
      },
      problem: null,
    };
    return { user, expiresAt: new Date(Date.now() + sessions.maxAgeSeconds * 1000) };
  }

  @Requires('PUBLIC')
  @Mutation(() => Boolean, {
    description: 'Ends the current session and clears its cookie. True when a session was open.',
  })
  async logout(@Ctx() context: Context): Promise<boolean> {
    const viewer = context.auth.viewer;
    context.response.setCookie(clearedSessionCookie(context.services.config.secureCookies));
    if (viewer?.credential.kind !== 'session') return false;
    await context.services.sessions.logout(viewer.credential.sessionId);
    return true;
  }
}

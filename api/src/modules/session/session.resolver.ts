import { Arg, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';

import { clearedSessionCookie, sessionCookie } from '../../auth/cookies';
import { MIN_PASSWORD_LENGTH } from '../../auth/password-policy';
import { viewerOf, type Context } from '../../graphql/context';
import { Requires } from '../../graphql/permissions';
import { User } from '../user/user.type';
import { LoginResult } from './session.type';

@Resolver()
export class SessionResolver {
  // Public on purpose: signing in is how credentials are obtained.
  @Requires('PUBLIC')
  @Mutation(() => LoginResult, {
    description:
      'Signs in with email and password and sets the session cookie. Wrong passwords are counted per account and per client address; past the limit the answer is TOO_MANY_ATTEMPTS, with extensions.retryAfterSeconds.',
  })
  async login(
    @Arg('email', () => String, { description: 'Sign-in address.' }) email: string,
    @Arg('password', () => String, { description: 'Password.' }) password: string,
    @Ctx() context: Context,
  ): Promise<LoginResult> {
    const { sessions, config } = context.services;
    const { user, token, sessionId } = await sessions.login(email, password, context.clientAddress);
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

  @Requires('SESSION')
  @Mutation(() => User, {
    description:
      "Changes the signed-in user's password and ends their other sessions. The current password counts as a sign-in guess.",
  })
  changePassword(
    @Arg('currentPassword', () => String, { description: 'The password in use now.' }) currentPassword: string,
    @Arg('newPassword', () => String, {
      description: `At least ${MIN_PASSWORD_LENGTH} characters, not only whitespace, not a common password.`,
    })
    newPassword: string,
    @Ctx() context: Context,
  ): Promise<User> {
    return context.services.sessions.changePassword(
      viewerOf(context),
      currentPassword,
      newPassword,
      context.clientAddress,
    );
  }

  @Requires('ADMIN')
  @Mutation(() => Int, {
    description: 'Ends every session of a user at once (admins only); their API keys stay. Answers how many ended.',
  })
  endUserSessions(
    @Arg('userId', () => ID, { description: 'The user whose sessions end.' }) userId: string,
    @Ctx() context: Context,
  ): Promise<number> {
    return context.services.sessions.endUserSessions(userId);
  }
}

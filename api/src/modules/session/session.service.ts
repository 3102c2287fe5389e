import type { PrismaClient, User } from '@prisma/client';

import type { Reads } from '../../db/reads';
import { hashPassword, verifyPassword } from '../../auth/password';
import { passwordProblem } from '../../auth/password-policy';
import { SignInThrottle } from '../../auth/sign-in-throttle';
import { parseApiKey, randomToken, sameHash, sha256 } from '../../auth/tokens';
import type { Authentication, Credential, Viewer } from '../../auth/viewer';
import { DEMO_ADMIN_PASSWORD } from '../../config';
import { BadInputError, FailedPreconditionError, UnauthenticatedError } from '../../graphql/errors';
import { checkId } from '../../graphql/ids';
import { TooManyAttemptsError } from './session.errors';

/** The credential-bearing parts of a request (HTTP headers, or a graphql-ws connection's equivalents). */
export interface CredentialHeaders {
  cookieToken?: string | undefined;
  authorization?: string | undefined;
}

// A session or key used again within this time is not re-stamped: one write per minute, not per request.
const TOUCH_AFTER_MS = 60_000;

interface Remembered {
  authentication: Authentication & { viewer: NonNullable<Authentication['viewer']> };
  until: number;
}

export interface SessionOptions {
  sessionDays: number;
  /** How long proven credentials are trusted without asking the database again (0: never). */
  cacheMs?: number;
  /** Production refuses the published demo password at sign-in. */
  production?: boolean;
}

export class SessionService {
  /**
   * Credentials proven in the last `cacheMs` (a few seconds): a client sending request after request is
   * checked against the database once, not every time. Logout and revocation forget them here at once;
   * another API server notices within `cacheMs`.
   */
  readonly #proven = new Map<string, Remembered>();

  readonly #throttle: SignInThrottle;
  readonly #sessionDays: number;
  readonly #cacheMs: number;
  readonly #production: boolean;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly reads: Reads,
    options: SessionOptions,
  ) {
    this.#throttle = new SignInThrottle(prisma);
    this.#sessionDays = options.sessionDays;
    this.#cacheMs = options.cacheMs ?? 0;
    this.#production = options.production ?? false;
  }

  get maxAgeSeconds(): number {
    return this.#sessionDays * 24 * 3600;
  }

  /**
   * Checks email and password; on success opens a session and returns its token (for the cookie). Every call
   * is a guess counted per account, and per client address when one is given (sign-in-throttle.ts).
   */
  async login(
    email: string,
    password: string,
    clientAddress?: string,
  ): Promise<{ user: User; token: string; sessionId: string }> {
    const user = await this.checkPassword(email, password, clientAddress);
    if (!user) throw new UnauthenticatedError('Wrong email or password');
    if (user.disabledAt) throw new UnauthenticatedError('This account is disabled: an admin can enable it again');
    if (this.#production && password === DEMO_ADMIN_PASSWORD) {
      throw new FailedPreconditionError(
        'This account still has the demo password published in the README, which production refuses: change it ' +
          'outside production, or restart with VAD_ADMIN_EMAIL set to this email and VAD_ADMIN_PASSWORD to a new password',
      );
    }
    const token = randomToken();
    const session = await this.prisma.session.create({
      data: { tokenHash: sha256(token), userId: user.id, expiresAt: new Date(Date.now() + this.maxAgeSeconds * 1000) },
    });
    // Disabling marks the user, then ends their sessions: a session made while that happened is ended here.
    const now = await this.prisma.user.findUnique({ where: { id: user.id }, select: { disabledAt: true } });
    if (!now || now.disabledAt) {
      await this.prisma.session.deleteMany({ where: { id: session.id } });
      throw new UnauthenticatedError('This account is disabled: an admin can enable it again');
    }
    return { user, token, sessionId: session.id };
  }

  /**
   * Changes the viewer's password; their other sessions end (a stolen one with them), this one stays. The current
   * password is a guess like a sign-in: counted, and refused while the account is locked.
   */
  async changePassword(
    viewer: Viewer,
    currentPassword: string,
    newPassword: string,
    clientAddress?: string,
  ): Promise<User> {
    if (viewer.credential.kind !== 'session') throw new UnauthenticatedError('Changing a password needs a session');
    const problem = passwordProblem(newPassword, viewer.user.email);
    if (problem) throw new BadInputError(`newPassword ${problem}`, 'newPassword');
    if (newPassword === currentPassword) {
      throw new BadInputError('newPassword must differ from the current password', 'newPassword');
    }
    const user = await this.checkPassword(viewer.user.email, currentPassword, clientAddress);
    if (!user) throw new BadInputError('currentPassword is wrong', 'currentPassword');
    const { sessionId } = viewer.credential;
    const [updated] = await this.prisma.$transaction([
      this.prisma.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(newPassword) } }),
      this.prisma.session.deleteMany({ where: { userId: user.id, id: { not: sessionId } } }),
    ]);
    this.forgetUser(user.id);
    return updated;
  }

  /** Ends every session of a user (admins); their API keys stay. Answers how many ended. */
  async endUserSessions(userId: string): Promise<number> {
    const { count } = await this.prisma.session.deleteMany({ where: { userId: checkId(userId, 'user') } });
    this.forgetUser(userId);
    return count;
  }

  async logout(sessionId: string): Promise<void> {
    this.forget((credential) => credential.kind === 'session' && credential.sessionId === sessionId);
    await this.prisma.session.deleteMany({ where: { id: sessionId } });
  }

  /** Drops remembered credentials of a revoked key (or anything else `matches` picks). */
  forget(matches: (credential: Credential) => boolean): void {
    for (const [key, remembered] of this.#proven) {
      if (matches(remembered.authentication.viewer.credential)) this.#proven.delete(key);
    }
  }

  /** Drops every remembered credential of a user whose role, status or password changed. */
  forgetUser(userId: string): void {
    for (const [key, remembered] of this.#proven) {
      if (remembered.authentication.viewer.user.id === userId) this.#proven.delete(key);
    }
  }

  /**
   * The user when the password is theirs, null when the email is unknown or the password wrong (the same work
   * either way: no account probing). Refused unchecked while the account or the address is locked.
   */
  private async checkPassword(email: string, password: string, clientAddress: string | undefined) {
    const account = email.trim().toLowerCase();
    const refusal = await this.#throttle.count(account, clientAddress);
    if (refusal) throw new TooManyAttemptsError(refusal);
    const user = await this.prisma.user.findUnique({ where: { email: account } });
    const valid = await verifyPassword(password, user?.passwordHash ?? UNKNOWN_USER_HASH);
    if (!user || !valid) return null;
    await this.#throttle.succeeded(account, clientAddress);
    return user;
  }

  /** Who the credentials prove, or why they prove nothing. A bearer key takes precedence over a cookie. */
  async authenticate(headers: CredentialHeaders): Promise<Authentication> {
    const key =
      headers.authorization !== undefined && headers.authorization !== ''
        ? `k:${headers.authorization}`
        : headers.cookieToken
          ? `s:${headers.cookieToken}`
          : null;
    if (key === null) return { viewer: null, problem: null };
    const now = Date.now();
    const remembered = this.#proven.get(key);
    if (remembered && remembered.until > now) return remembered.authentication;
    const { authentication, expiresAt } = key.startsWith('k:')
      ? await this.authenticateKey(headers.authorization!)
      : await this.authenticateSession(headers.cookieToken!);
    if (this.#cacheMs > 0 && authentication.viewer) {
      if (this.#proven.size >= 10_000) this.#proven.clear();
      this.#proven.set(key, {
        authentication: authentication as Remembered['authentication'],
        // Never trusted beyond the credential's own end.
        until: Math.min(now + this.#cacheMs, expiresAt?.getTime() ?? Infinity),
      });
    }
    return authentication;
  }

  private async authenticateKey(authorization: string): Promise<Checked> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) return refused('The Authorization header must be "Bearer <API key>"');
    const parts = parseApiKey(match[1]!);
    if (!parts) return refused('Invalid API key');
    const key = await this.reads.apiKey(parts.prefix);
    if (!key || !sameHash(key.secretHash, sha256(parts.secret))) return refused('Invalid API key');
    if (key.revokedAt) return refused('This API key has been revoked');
    if (key.expiresAt && key.expiresAt.getTime() <= Date.now()) {
      return refused(`This API key expired at ${key.expiresAt.toISOString()}`);
    }
    if (key.disabledAt) return refused("This API key's owner is disabled");
    if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() > TOUCH_AFTER_MS) {
      void this.prisma.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: new Date() } }).catch(() => {});
    }
    const { userId, email, name, role } = key;
    return {
      authentication: {
        viewer: {
          user: { id: userId, email, name, role },
          credential: { kind: 'apiKey', apiKeyId: key.id, scopes: key.scopes },
        },
        problem: null,
      },
      expiresAt: key.expiresAt,
    };
  }

  private async authenticateSession(token: string): Promise<Checked> {
    const session = await this.reads.session(sha256(token));
    if (!session) return refused('Your session has ended: sign in again');
    if (session.expiresAt.getTime() <= Date.now()) {
      void this.prisma.session.deleteMany({ where: { id: session.id } }).catch(() => {});
      return refused('Your session has expired: sign in again');
    }
    if (session.disabledAt) return refused('This account is disabled: an admin can enable it again');
    if (Date.now() - session.lastSeenAt.getTime() > TOUCH_AFTER_MS) {
      void this.prisma.session
        .updateMany({ where: { id: session.id }, data: { lastSeenAt: new Date() } })
        .catch(() => {});
    }
    const { userId, email, name, role } = session;
    return {
      authentication: {
        viewer: { user: { id: userId, email, name, role }, credential: { kind: 'session', sessionId: session.id } },
        problem: null,
      },
      expiresAt: session.expiresAt,
    };
  }
}

/** Checked credentials, and when they end (null: never). */
interface Checked {
  authentication: Authentication;
  expiresAt: Date | null;
}

function refused(problem: string): Checked {
  return { authentication: { viewer: null, problem }, expiresAt: null };
}

// A valid hash of a random password: unknown emails cost the same scrypt work as wrong passwords.
const UNKNOWN_USER_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$Zm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyMTI=';

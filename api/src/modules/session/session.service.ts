import type { PrismaClient, User } from '@prisma/client';

import type { Reads } from '../../db/reads';
import { verifyPassword } from '../../auth/password';
import { parseApiKey, randomToken, sameHash, sha256 } from '../../auth/tokens';
import type { Authentication, Credential } from '../../auth/viewer';
import { UnauthenticatedError } from '../../graphql/errors';

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

export class SessionService {
  /**
   * Credentials proven in the last `cacheMs` (a few seconds): a client sending request after request is
   * checked against the database once, not every time. Logout and revocation forget them here at once;
   * another API server notices within `cacheMs`.
   */
  readonly #proven = new Map<string, Remembered>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly reads: Reads,
    private readonly sessionDays: number,
    private readonly cacheMs: number = 0,
  ) {}

  get maxAgeSeconds(): number {
    return this.sessionDays * 24 * 3600;
  }

  /** Checks email and password; on success opens a session and returns its token (for the cookie). */
  async login(email: string, password: string): Promise<{ user: User; token: string; sessionId: string }> {
    const user = await this.prisma.user.findUnique({ where: { email: email.trim().toLowerCase() } });
    // The same message and work whether the email is unknown or the password wrong: no account probing.
    const valid = await verifyPassword(password, user?.passwordHash ?? UNKNOWN_USER_HASH);
    if (!user || !valid) throw new UnauthenticatedError('Wrong email or password');
    const token = randomToken();
    const session = await this.prisma.session.create({
      data: { tokenHash: sha256(token), userId: user.id, expiresAt: new Date(Date.now() + this.maxAgeSeconds * 1000) },
    });
    return { user, token, sessionId: session.id };
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
    const authentication = key.startsWith('k:')
      ? await this.authenticateKey(headers.authorization!)
      : await this.authenticateSession(headers.cookieToken!);
    if (this.cacheMs > 0 && authentication.viewer) {
      if (this.#proven.size >= 10_000) this.#proven.clear();
      this.#proven.set(key, {
        authentication: authentication as Remembered['authentication'],
        until: now + this.cacheMs,
      });
    }
    return authentication;
  }

  private async authenticateKey(authorization: string): Promise<Authentication> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) return { viewer: null, problem: 'The Authorization header must be "Bearer <API key>"' };
    const parts = parseApiKey(match[1]!);
    if (!parts) return { viewer: null, problem: 'Invalid API key' };
    const key = await this.reads.apiKey(parts.prefix);
    if (!key || !sameHash(key.secretHash, sha256(parts.secret))) return { viewer: null, problem: 'Invalid API key' };
    if (key.revokedAt) return { viewer: null, problem: 'This API key has been revoked' };
    if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() > TOUCH_AFTER_MS) {
      void this.prisma.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: new Date() } }).catch(() => {});
    }
    const { userId, email, name, role } = key;
    return {
      viewer: {
        user: { id: userId, email, name, role },
        credential: { kind: 'apiKey', apiKeyId: key.id, scopes: key.scopes },
      },
      problem: null,
    };
  }

  private async authenticateSession(token: string): Promise<Authentication> {
    const session = await this.reads.session(sha256(token));
    if (!session) return { viewer: null, problem: 'Your session has ended: sign in again' };
    if (session.expiresAt.getTime() <= Date.now()) {
      void this.prisma.session.deleteMany({ where: { id: session.id } }).catch(() => {});
      return { viewer: null, problem: 'Your session has expired: sign in again' };
    }
    if (Date.now() - session.lastSeenAt.getTime() > TOUCH_AFTER_MS) {
      void this.prisma.session
        .updateMany({ where: { id: session.id }, data: { lastSeenAt: new Date() } })
        .catch(() => {});
    }
    const { userId, email, name, role } = session;
    return {
      viewer: { user: { id: userId, email, name, role }, credential: { kind: 'session', sessionId: session.id } },
      problem: null,
    };
  }
}

// A valid hash of a random password: unknown emails cost the same scrypt work as wrong passwords.
const UNKNOWN_USER_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$Zm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyMTI=';

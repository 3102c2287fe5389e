import type { PrismaClient, User } from '@prisma/client';

import { verifyPassword } from '../../auth/password';
import { parseApiKey, randomToken, sameHash, sha256 } from '../../auth/tokens';
import type { Authentication } from '../../auth/viewer';
import { UnauthenticatedError } from '../../graphql/errors';

/** The credential-bearing parts of a request (HTTP headers, or a graphql-ws connection's equivalents). */
export interface CredentialHeaders {
  cookieToken?: string | undefined;
  authorization?: string | undefined;
}

// A session or key used again within this time is not re-stamped: one write per minute, not per request.
const TOUCH_AFTER_MS = 60_000;

export class SessionService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly sessionDays: number,
  ) {}

  get maxAgeSeconds(): number {
    return this.sessionDays * 24 * 3600;
  }

  /** Checks email and password; on success opens a session and returns its token (for the cookie). */
  async login(email: string, password: string): Promise<{ user: User; token: string }> {
    const user = await this.prisma.user.findUnique({ where: { email: email.trim().toLowerCase() } });
    // The same message and work whether the email is unknown or the password wrong: no account probing.
    const valid = await verifyPassword(password, user?.passwordHash ?? UNKNOWN_USER_HASH);
    if (!user || !valid) throw new UnauthenticatedError('Wrong email or password');
    const token = randomToken();
    await this.prisma.session.create({
      data: { tokenHash: sha256(token), userId: user.id, expiresAt: new Date(Date.now() + this.maxAgeSeconds * 1000) },
    });
    return { user, token };
  }

  async logout(sessionId: string): Promise<void> {
    await this.prisma.session.deleteMany({ where: { id: sessionId } });
  }

  /** Who the credentials prove, or why they prove nothing. A bearer key takes precedence over a cookie. */
  async authenticate(headers: CredentialHeaders): Promise<Authentication> {
    if (headers.authorization !== undefined && headers.authorization !== '') {
      return this.authenticateKey(headers.authorization);
    }
    if (headers.cookieToken) return this.authenticateSession(headers.cookieToken);
    return { viewer: null, problem: null };
  }

  private async authenticateKey(authorization: string): Promise<Authentication> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) return { viewer: null, problem: 'The Authorization header must be "Bearer <API key>"' };
    const parts = parseApiKey(match[1]!);
    if (!parts) return { viewer: null, problem: 'Invalid API key' };
    const key = await this.prisma.apiKey.findUnique({ where: { prefix: parts.prefix }, include: { user: true } });
    if (!key || !sameHash(key.secretHash, sha256(parts.secret))) return { viewer: null, problem: 'Invalid API key' };
    if (key.revokedAt) return { viewer: null, problem: 'This API key has been revoked' };
    if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() > TOUCH_AFTER_MS) {
      void this.prisma.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: new Date() } }).catch(() => {});
    }
    const { id, email, name, role } = key.user;
    return {
      viewer: { user: { id, email, name, role }, credential: { kind: 'apiKey', apiKeyId: key.id, scopes: key.scopes } },
      problem: null,
    };
  }

  private async authenticateSession(token: string): Promise<Authentication> {
    const session = await this.prisma.session.findUnique({
      where: { tokenHash: sha256(token) },
      include: { user: true },
    });
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
    const { id, email, name, role } = session.user;
    return {
      viewer: { user: { id, email, name, role }, credential: { kind: 'session', sessionId: session.id } },
      problem: null,
    };
  }
}

// A valid hash of a random password: unknown emails cost the same scrypt work as wrong passwords.
const UNKNOWN_USER_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$Zm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyMTI=';

import type { ApiKey, ApiKeyScope, PrismaClient } from '@prisma/client';

import { newApiKey, sha256 } from '../../auth/tokens';
import type { Viewer } from '../../auth/viewer';
import { BadInputError, ForbiddenError, NotFoundError } from '../../graphql/errors';
import { checkId } from '../../graphql/ids';

export class ApiKeyService {
  constructor(
    private readonly prisma: PrismaClient,
    /** Called when a key is revoked, so that nothing still trusts it. */
    private readonly onRevoke: (apiKeyId: string) => void = () => {},
  ) {}

  /**
   * Mints a key for the viewer, valid until `expiresAt` if given. WRITE needs an annotator or admin: a key never
   * exceeds its owner's role.
   */
  async create(
    viewer: Viewer,
    name: string,
    scopes: ApiKeyScope[],
    expiresAt: Date | null = null,
  ): Promise<{ apiKey: ApiKey; secret: string }> {
    if (!scopes.includes('READ')) throw new BadInputError('scopes must include READ', 'scopes');
    if (expiresAt && expiresAt.getTime() <= Date.now()) {
      throw new BadInputError('expiresAt must be in the future', 'expiresAt');
    }
    if (scopes.includes('WRITE') && viewer.user.role === 'VIEWER') {
      throw new ForbiddenError('Viewers can only create READ keys');
    }
    const { prefix, secret, key } = newApiKey();
    const apiKey = await this.prisma.apiKey.create({
      data: { name: name.trim(), prefix, secretHash: sha256(secret), scopes, userId: viewer.user.id, expiresAt },
    });
    return { apiKey, secret: key };
  }

  /** Owners revoke their own keys, admins any key. */
  async revoke(viewer: Viewer, id: string): Promise<ApiKey> {
    const key = await this.prisma.apiKey.findUnique({ where: { id: checkId(id, 'API key') } });
    // Someone else's key reads as missing to non-admins: its existence is not theirs to learn.
    if (!key || (key.userId !== viewer.user.id && viewer.user.role !== 'ADMIN')) throw new NotFoundError('API key', id);
    if (key.revokedAt) return key;
    const revoked = await this.prisma.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
    this.onRevoke(id);
    return revoked;
  }

  /** A user's keys, oldest first; only the user and admins see them, others get none. */
  async listForUser(viewer: Viewer, userId: string): Promise<ApiKey[]> {
    if (viewer.user.id !== userId && viewer.user.role !== 'ADMIN') return [];
    return this.prisma.apiKey.findMany({ where: { userId }, orderBy: { createdAt: 'asc' } });
  }
}

import { Prisma, type PrismaClient, type User } from '@prisma/client';

import { hashPassword } from '../../auth/password';
import { keysetPage, type ConnectionValue } from '../../graphql/connection';
import { ConflictError } from '../../graphql/errors';
import type { CreateUserInput } from './user.input';

export class UserService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly maxPageSize: number,
  ) {}

  async create(input: CreateUserInput): Promise<User> {
    const email = input.email.trim().toLowerCase();
    try {
      return await this.prisma.user.create({
        data: { email, name: input.name.trim(), role: input.role, passwordHash: await hashPassword(input.password) },
      });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        throw new ConflictError(`a user with email ${email} already exists`, { field: 'email' });
      }
      throw error;
    }
  }

  async list(first: number, after: string | null | undefined): Promise<ConnectionValue<User>> {
    return keysetPage(this.prisma.user, {
      field: 'email',
      direction: 'asc',
      first,
      after,
      maxPageSize: this.maxPageSize,
    });
  }

  /**
   * The first admin, from VAD_ADMIN_EMAIL / VAD_ADMIN_PASSWORD (or the demo default). Created once: later
   * start-ups leave an existing account, and its password, alone.
   */
  async ensureAdmin(email: string, password: string): Promise<{ created: boolean }> {
    const normalised = email.trim().toLowerCase();
    const existing = await this.prisma.user.findUnique({ where: { email: normalised } });
    if (existing) return { created: false };
    try {
      await this.prisma.user.create({
        data: { email: normalised, name: 'Administrator', role: 'ADMIN', passwordHash: await hashPassword(password) },
      });
      return { created: true };
    } catch (error) {
      // Another process (a second server) created it at the same moment.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') return { created: false };
      throw error;
    }
  }
}

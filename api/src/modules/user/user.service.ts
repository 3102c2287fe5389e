import { Prisma, type PrismaClient, type Role, type User } from '@prisma/client';

import { hashPassword, verifyPassword } from '../../auth/password';
import { passwordProblem } from '../../auth/password-policy';
import type { Viewer } from '../../auth/viewer';
import { DEMO_ADMIN_PASSWORD } from '../../config';
import { EnvironmentError } from '../../db';
import { keysetPage, type ConnectionValue, type PageRequest } from '../../graphql/connection';
import { BadInputError, ConflictError, FailedPreconditionError, NotFoundError } from '../../graphql/errors';
import { checkId } from '../../graphql/ids';
import type { CreateUserInput } from './user.input';

export class UserService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly maxPageSize: number,
    /** Called when a user's role or status changes, so that no server keeps trusting what it remembered. */
    private readonly onAccessChanged: (userId: string) => void = () => {},
  ) {}

  async create(input: CreateUserInput): Promise<User> {
    const email = input.email.trim().toLowerCase();
    const problem = passwordProblem(input.password, email);
    if (problem) throw new BadInputError(`password ${problem}`, 'password');
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

  async list(page: PageRequest): Promise<ConnectionValue<User>> {
    return keysetPage(this.prisma.user, {
      field: 'email',
      direction: 'asc',
      ...page,
      maxPageSize: this.maxPageSize,
    });
  }

  /** Disables an account at once: it cannot sign in, its sessions end and its API keys are refused. */
  async disable(viewer: Viewer, id: string): Promise<User> {
    const user = await this.other(viewer, id, 'disable their own account');
    if (user.disabledAt) return user;
    // Marked first, then the sessions end: a sign-in racing with this sees the mark (session.service.ts).
    const disabled = await this.prisma.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    await this.prisma.session.deleteMany({ where: { userId: user.id } });
    this.onAccessChanged(user.id);
    return disabled;
  }

  /** Lets a disabled account sign in again; its API keys work again, its ended sessions do not come back. */
  async enable(id: string): Promise<User> {
    const user = await this.find(id);
    if (!user.disabledAt) return user;
    return this.prisma.user.update({ where: { id: user.id }, data: { disabledAt: null } });
  }

  /**
   * Sets another user's password (one they forgot, or one an admin fears is known) and ends their sessions, so
   * that whoever held the old one is signed out; their API keys stay (revoke them apart).
   */
  async resetPassword(viewer: Viewer, id: string, newPassword: string): Promise<User> {
    const user = await this.other(viewer, id, 'reset their own password: use changePassword');
    const problem = passwordProblem(newPassword, user.email);
    if (problem) throw new BadInputError(`newPassword ${problem}`, 'newPassword');
    const [updated] = await this.prisma.$transaction([
      this.prisma.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(newPassword) } }),
      this.prisma.session.deleteMany({ where: { userId: user.id } }),
    ]);
    this.onAccessChanged(user.id);
    return updated;
  }

  /** Changes what a user may do, from their next request on. */
  async setRole(viewer: Viewer, id: string, role: Role): Promise<User> {
    const user = await this.other(viewer, id, 'change their own role');
    if (user.role === role) return user;
    const changed = await this.prisma.user.update({ where: { id: user.id }, data: { role } });
    this.onAccessChanged(user.id);
    return changed;
  }

  /**
   * The first admin, from VAD_ADMIN_EMAIL / VAD_ADMIN_PASSWORD (or the demo default). Created once: later
   * start-ups leave an existing account, and its password, alone, except the published demo password, which a
   * password given for that account replaces (production refuses the demo password at sign-in).
   */
  async ensureAdmin(email: string, password: string): Promise<{ created: boolean }> {
    const normalised = email.trim().toLowerCase();
    // The demo default is the one password allowed past the policy, outside production.
    const problem = password === DEMO_ADMIN_PASSWORD ? null : passwordProblem(password, normalised);
    if (problem) throw new EnvironmentError(`VAD_ADMIN_PASSWORD (the first admin's password) ${problem}`);
    const existing = await this.prisma.user.findUnique({ where: { email: normalised } });
    if (existing) {
      if (password !== DEMO_ADMIN_PASSWORD && (await verifyPassword(DEMO_ADMIN_PASSWORD, existing.passwordHash))) {
        await this.prisma.user.update({
          where: { id: existing.id },
          data: { passwordHash: await hashPassword(password) },
        });
      }
      return { created: false };
    }
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

  private async find(id: string): Promise<User> {
    const user = await this.prisma.user.findUnique({ where: { id: checkId(id, 'User') } });
    if (!user) throw new NotFoundError('User', id);
    return user;
  }

  /** Another user than the viewer: an admin cannot lock themselves out (nor leave the platform without admins). */
  private async other(viewer: Viewer, id: string, action: string): Promise<User> {
    const user = await this.find(id);
    if (user.id === viewer.user.id) throw new FailedPreconditionError(`An admin cannot ${action}: ask another admin`);
    return user;
  }
}

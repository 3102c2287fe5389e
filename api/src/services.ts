import type { PrismaClient } from '@prisma/client';

import type { Config } from './config';
import { ApiKeyService } from './modules/api-key/api-key.service';
import { SessionService } from './modules/session/session.service';
import { UserService } from './modules/user/user.service';

/** The application's services, made once per process and shared by every request. */
export interface Services {
  config: Config;
  prisma: PrismaClient;
  users: UserService;
  sessions: SessionService;
  apiKeys: ApiKeyService;
}

export function createServices(config: Config, prisma: PrismaClient): Services {
  return {
    config,
    prisma,
    users: new UserService(prisma, config.limits.maxPageSize),
    sessions: new SessionService(prisma, config.sessionDays),
    apiKeys: new ApiKeyService(prisma),
  };
}

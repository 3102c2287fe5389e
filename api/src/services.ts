import type { PrismaClient } from '@prisma/client';
import type PgBoss from 'pg-boss';

import type { Config } from './config';
import type { EventBus } from './events/pubsub';
import { FileStore } from './files/store';
import { UploadService } from './files/upload';
import { ApiKeyService } from './modules/api-key/api-key.service';
import { DatasetService } from './modules/dataset/dataset.service';
import { ImageService } from './modules/image/image.service';
import { MaskService } from './modules/mask/mask.service';
import { ResultService } from './modules/result/result.service';
import { RunService } from './modules/run/run.service';
import { SessionService } from './modules/session/session.service';
import { UserService } from './modules/user/user.service';

/** The application's services, made once per process and shared by every request. */
export interface Services {
  config: Config;
  prisma: PrismaClient;
  events: EventBus;
  files: FileStore;
  uploads: UploadService;
  users: UserService;
  sessions: SessionService;
  apiKeys: ApiKeyService;
  datasets: DatasetService;
  images: ImageService;
  masks: MaskService;
  runs: RunService;
  results: ResultService;
}

export function createServices(config: Config, prisma: PrismaClient, events: EventBus, queue: PgBoss): Services {
  const files = new FileStore(config.dataDir);
  const uploads = new UploadService(prisma, files, config.limits.maxUploadBytes);
  return {
    config,
    prisma,
    events,
    files,
    uploads,
    users: new UserService(prisma, config.limits.maxPageSize),
    sessions: new SessionService(prisma, config.sessionDays),
    apiKeys: new ApiKeyService(prisma),
    datasets: new DatasetService(prisma, files, uploads, config),
    images: new ImageService(prisma, config.limits.maxPageSize),
    masks: new MaskService(prisma, files, events, config.limits),
    runs: new RunService(prisma, queue, events, config),
    results: new ResultService(prisma, config.limits.maxPageSize),
  };
}

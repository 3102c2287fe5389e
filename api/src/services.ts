import type { PrismaClient } from '@prisma/client';
import type PgBoss from 'pg-boss';

import type { Config } from './config';
import type { Reads } from './db/reads';
import { WebhookService } from './modules/webhook/webhook.service';
import type { EventBus } from './events/pubsub';
import { FileStore } from './files/store';
import { UploadService } from './files/upload';
import { ApiKeyService } from './modules/api-key/api-key.service';
import { AssignmentService } from './modules/assignment/assignment.service';
import { DatasetImportService } from './modules/dataset/dataset-import.service';
import { DatasetService } from './modules/dataset/dataset.service';
import { EvaluationService } from './modules/evaluation/evaluation.service';
import { ExportService } from './modules/export/export.service';
import { MaskImportService } from './modules/export/mask-import.service';
import { PredictionService } from './modules/prediction/prediction.service';
import { ImageService } from './modules/image/image.service';
import { MaskService } from './modules/mask/mask.service';
import { NodeService } from './modules/node/node.service';
import { PresetService } from './modules/preset/preset.service';
import { RunOptionService } from './modules/run-option/run-option.service';
import { DecisionService } from './modules/decision/decision.service';
import { ResultService } from './modules/result/result.service';
import { ReviewService } from './modules/review/review.service';
import { RunService } from './modules/run/run.service';
import { WorkerService } from './modules/worker/worker.service';
import { SessionService } from './modules/session/session.service';
import { SettingsService } from './modules/settings/settings.service';
import { UserService } from './modules/user/user.service';

/** The application's services, made once per process and shared by every request. */
export interface Services {
  config: Config;
  webhooks: WebhookService;
  prisma: PrismaClient;
  /** Hand-written SQL for the hot reads (loaders, result pages, credentials). */
  reads: Reads;
  events: EventBus;
  files: FileStore;
  uploads: UploadService;
  users: UserService;
  sessions: SessionService;
  apiKeys: ApiKeyService;
  datasets: DatasetService;
  datasetImports: DatasetImportService;
  images: ImageService;
  masks: MaskService;
  runs: RunService;
  workers: WorkerService;
  evaluations: EvaluationService;
  exports: ExportService;
  maskImports: MaskImportService;
  predictions: PredictionService;
  /** node(id:) and nodes(ids:). */
  nodes: NodeService;
  presets: PresetService;
  runOptions: RunOptionService;
  results: ResultService;
  decisions: DecisionService;
  settings: SettingsService;
  assignments: AssignmentService;
  reviews: ReviewService;
}

export function createServices(
  config: Config,
  prisma: PrismaClient,
  reads: Reads,
  events: EventBus,
  queue: PgBoss,
): Services {
  const files = new FileStore(config.dataDir);
  const sessions = new SessionService(prisma, reads, {
    sessionDays: config.sessionDays,
    cacheMs: config.authCacheMs,
    production: config.production,
  });
  const decisions = new DecisionService(prisma);
  const settings = new SettingsService(prisma);
  const uploads = new UploadService(prisma, files, config.limits.maxUploadBytes, config.retention.uploadMs);
  const workers = new WorkerService(prisma, config.worker.staleMs);
  const datasets = new DatasetService(prisma, files, uploads, config);
  return {
    config,
    prisma,
    reads,
    events,
    webhooks: new WebhookService(prisma, config.limits.maxPageSize),
    files,
    uploads,
    users: new UserService(prisma, config.limits.maxPageSize, (userId) => sessions.forgetUser(userId)),
    sessions,
    apiKeys: new ApiKeyService(prisma, (apiKeyId) =>
      sessions.forget((credential) => credential.kind === 'apiKey' && credential.apiKeyId === apiKeyId),
    ),
    datasets,
    datasetImports: new DatasetImportService(prisma, queue, datasets),
    images: new ImageService(prisma, events, config.limits.maxPageSize),
    masks: new MaskService(
      prisma,
      files,
      events,
      config.limits,
      async () => (await settings.workspace()).allowSelfReview,
    ),
    runs: new RunService(prisma, queue, events, config, files, workers),
    workers,
    evaluations: new EvaluationService(prisma, queue),
    exports: new ExportService(prisma, queue, config.limits.maxPageSize),
    maskImports: new MaskImportService(prisma, queue),
    predictions: new PredictionService(prisma, queue, files),
    nodes: new NodeService(),
    presets: new PresetService(),
    runOptions: new RunOptionService(),
    results: new ResultService(reads, config.limits.maxPageSize, decisions),
    decisions,
    settings,
    assignments: new AssignmentService(prisma, config.limits.maxPageSize),
    reviews: new ReviewService(prisma, settings, config.limits.maxPageSize),
  };
}

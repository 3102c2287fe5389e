import type { Prisma, PrismaClient } from '@prisma/client';

import type { WorkspaceSettings } from './settings.type';

/** The Setting row that holds the workspace settings (one JSON object, so new settings need no migration). */
const KEY = 'workspace';

const DEFAULTS: WorkspaceSettings = { allowSelfReview: false };

/** What an admin may change; settings left out keep their value. */
export type WorkspaceSettingsChange = Partial<WorkspaceSettings>;

/** Reads the stored JSON leniently: a value of the wrong type (a hand edit) counts as the default. */
function parse(value: Prisma.JsonValue | undefined): WorkspaceSettings {
  const stored = value && typeof value === 'object' && !Array.isArray(value) ? value : {};
  return {
    allowSelfReview: typeof stored.allowSelfReview === 'boolean' ? stored.allowSelfReview : DEFAULTS.allowSelfReview,
  };
}

export class SettingsService {
  constructor(private readonly prisma: PrismaClient) {}

  async workspace(): Promise<WorkspaceSettings> {
    const row = await this.prisma.setting.findUnique({ where: { key: KEY } });
    return parse(row?.value);
  }

  /** Changes the given settings in one transaction (the row is locked, so two admins' changes both land). */
  async update(change: WorkspaceSettingsChange): Promise<WorkspaceSettings> {
    return this.prisma.$transaction(async (tx) => {
      await tx.setting.upsert({ where: { key: KEY }, create: { key: KEY, value: { ...DEFAULTS } }, update: {} });
      await tx.$queryRaw`SELECT key FROM "Setting" WHERE key = ${KEY} FOR UPDATE`;
      const current = parse((await tx.setting.findUniqueOrThrow({ where: { key: KEY } })).value);
      const next: WorkspaceSettings = {
        allowSelfReview: change.allowSelfReview ?? current.allowSelfReview,
      };
      await tx.setting.update({ where: { key: KEY }, data: { value: { ...next } } });
      return next;
    });
  }
}

import os from 'node:os';

import type { PrismaClient } from '@prisma/client';
import { runtimeInfo } from '@vad/native';

import { devicesOf } from '../modules/worker/worker.service';

export interface WorkerPresence {
  /** Stops the heartbeat and removes the worker's row: its devices are no longer offered. */
  stop(): Promise<void>;
}

/**
 * Writes the worker's row with the devices its native runtime reports, then renews its heartbeat every
 * `intervalMs`, so that the API offers only the devices of live workers. A row left by a worker that died goes
 * stale (and is no longer counted) after `staleMs` (VAD_WORKER_STALE_MS), and each beat removes such rows, so
 * that they do not pile up (a stale worker that comes back writes its row again at its next beat); a beat that
 * fails is logged and tried again.
 */
export async function startWorkerPresence(
  prisma: PrismaClient,
  workerId: string,
  { intervalMs, staleMs }: { intervalMs: number; staleMs: number },
  log: (line: string) => void,
): Promise<WorkerPresence> {
  const runtime = runtimeInfo();
  const { devices, cudaDevices } = devicesOf(runtime);
  const row = { hostname: os.hostname(), devices, cudaDevices, runtime };
  const beat = async () => {
    await prisma.worker.upsert({
      where: { id: workerId },
      create: { id: workerId, ...row },
      update: { ...row, heartbeatAt: new Date() },
    });
    await prisma.worker.deleteMany({ where: { heartbeatAt: { lt: new Date(Date.now() - staleMs) } } });
  };
  await beat();
  log(`devices: ${devices.join(', ')} (${runtime})`);
  const timer = setInterval(() => {
    beat().catch((error: unknown) => log(`worker heartbeat failed (${(error as Error).message})`));
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await prisma.worker.deleteMany({ where: { id: workerId } }).catch(() => {});
    },
  };
}

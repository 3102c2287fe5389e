import type { PrismaClient } from '@prisma/client';

import { FailedPreconditionError } from '../../graphql/errors';
import type { WorkerDevice } from './worker.type';

/** The devices a worker's native runtime reports: always the CPU, and CUDA when LibTorch sees a GPU. */
export function devicesOf(runtime: string): { devices: string[]; cudaDevices: number } {
  const cuda = /CUDA available \((\d+) device/.exec(runtime);
  const cudaDevices = cuda ? Number(cuda[1]) : 0;
  return { devices: cudaDevices > 0 ? ['cpu', 'cuda'] : ['cpu'], cudaDevices };
}

/** Devices in the order people pick them: the CPU first. */
const ORDER = ['cpu', 'cuda'];

export class WorkerService {
  constructor(
    private readonly prisma: PrismaClient,
    /** A worker whose heartbeat is older than this is gone (VAD_WORKER_STALE_MS, as for runs). */
    private readonly staleMs: number,
  ) {}

  /** The devices of the workers whose heartbeat is fresh, each with how many workers have it. */
  async devices(): Promise<WorkerDevice[]> {
    const live = await this.prisma.worker.findMany({
      where: { heartbeatAt: { gte: new Date(Date.now() - this.staleMs) } },
      select: { devices: true, cudaDevices: true },
    });
    const found = new Map<string, WorkerDevice>();
    for (const worker of live) {
      for (const device of worker.devices) {
        const entry = found.get(device) ?? { device, workers: 0, deviceCount: 0 };
        entry.workers += 1;
        if (device === 'cuda') entry.deviceCount = Math.max(entry.deviceCount, worker.cudaDevices);
        found.set(device, entry);
      }
    }
    return [...found.values()].sort((a, b) => ORDER.indexOf(a.device) - ORDER.indexOf(b.device));
  }

  /**
   * Refuses a run on a device that no live worker has (FAILED_PRECONDITION with extensions.reason
   * DEVICE_UNAVAILABLE), instead of letting it fail on a worker that lacks it. `auto` and `cpu` run on any worker,
   * and wait in the queue while none is running; a GPU must be there now.
   */
  async checkDevice(device: string | undefined): Promise<void> {
    if (device === undefined || device === 'auto' || device === 'cpu') return;
    const devices = await this.devices();
    if (devices.some((entry) => entry.device === device)) return;
    const have = devices.map((entry) => entry.device);
    throw new FailedPreconditionError(
      `no live worker has the device ${device} (${have.length ? `workers have: ${have.join(', ')}` : 'no worker is running'}): ` +
        'choose auto or cpu, or start a worker on a machine with a GPU',
      { reason: 'DEVICE_UNAVAILABLE', device, available: have },
    );
  }
}

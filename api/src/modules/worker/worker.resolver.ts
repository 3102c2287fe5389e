import { Ctx, Query, Resolver } from 'type-graphql';

import type { Context } from '../../graphql/context';
import { WorkerDevice } from './worker.type';

@Resolver(() => WorkerDevice)
export class WorkerResolver {
  @Query(() => [WorkerDevice], {
    description:
      "The devices the live workers have (heartbeat within VAD_WORKER_STALE_MS), CPU first: the values of startRun's " +
      'device option that can run now besides auto. Empty while no worker runs.',
  })
  workerDevices(@Ctx() context: Context): Promise<WorkerDevice[]> {
    return context.services.workers.devices();
  }
}

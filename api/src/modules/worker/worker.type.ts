import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A device that at least one live worker can run models on.', simpleResolvers: true })
export class WorkerDevice {
  @Field(() => String, { description: "A value of startRun's device option: cpu or cuda." })
  device!: string;

  @Field(() => Int, { description: 'Live workers that have it.' })
  workers!: number;

  @Field(() => Int, { description: 'For cuda, the most GPUs one of those workers sees (0 for cpu).' })
  deviceCount!: number;
}

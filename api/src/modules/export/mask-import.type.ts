import { MaskImportFormat } from '@prisma/client';
import { Field, Int, ObjectType } from 'type-graphql';

import './export.type';
import { Node } from '../../graphql/node';
import { TrackedJob } from '../../graphql/tracked-job';

@ObjectType({
  implements: [Node, TrackedJob],
  simpleResolvers: true,
  description:
    'An importMasks job: the masks of an uploaded zip become new mask versions (source MASK_IMPORT), all of them or ' +
    'none. Follow it with maskImportProgress or by polling maskImport(id).',
})
export class MaskImport extends TrackedJob {
  @Field(() => String, {
    nullable: true,
    description: 'Why it failed: the file at fault and what is wrong with it (nothing was imported).',
  })
  error!: string | null;

  @Field(() => String, { description: 'The name the zip was uploaded under.' })
  fileName!: string;

  @Field(() => MaskImportFormat, { nullable: true, description: 'The format asked for; null: found from the files.' })
  requested!: MaskImportFormat | null;

  @Field(() => MaskImportFormat, { nullable: true, description: 'The format read, once it succeeded.' })
  format!: MaskImportFormat | null;

  @Field(() => Boolean, { description: 'The versions are APPROVED (else SUBMITTED, for review).' })
  approve!: boolean;

  @Field(() => Int, { description: 'Mask versions added (0 until it succeeded).' })
  maskCount!: number;

  datasetId!: string;
}

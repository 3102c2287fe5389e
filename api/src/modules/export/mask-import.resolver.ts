import { MaskImportFormat } from '@prisma/client';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';

import { viewerOf, type Context } from '../../graphql/context';
import { Requires } from '../../graphql/permissions';
import { Dataset } from '../dataset/dataset.type';
import { Mask } from '../mask/mask.type';
import { MaskImport } from './mask-import.type';

@Resolver(() => MaskImport)
export class MaskImportResolver {
  @Query(() => MaskImport, { nullable: true, description: 'One mask import, or null if there is none with this id.' })
  maskImport(
    @Arg('id', () => ID, { description: 'Mask import id.' }) id: string,
    @Ctx() context: Context,
  ): Promise<MaskImport | null> {
    return context.services.maskImports.byId(id);
  }

  @Requires('ADMIN')
  @Mutation(() => MaskImport, {
    description:
      'Queues the import of masks made elsewhere (admins) from a zip sent to POST /uploads: PNGs (MVTec AD ' +
      'ground_truth/<defect type>/<name>_mask.png, or named like their images) or a COCO file with RLE or ' +
      'polygons. Each is matched to an image by its file name and becomes a new version of its mask; a file that ' +
      'names no image, has another size or cannot be read fails the import, naming it, and nothing is imported.',
  })
  importMasks(
    @Arg('datasetId', () => ID, { description: 'The dataset whose images the masks are for.' }) datasetId: string,
    @Arg('uploadId', () => ID, { description: 'The zip, from POST /uploads.' }) uploadId: string,
    @Arg('format', () => MaskImportFormat, {
      nullable: true,
      description: 'How the masks are written; absent: PNG masks when the zip has some, else its COCO file.',
    })
    format: MaskImportFormat | null,
    @Arg('approve', () => Boolean, {
      defaultValue: true,
      description: 'Add the versions APPROVED (ground truth at once); false: SUBMITTED, for review.',
    })
    approve: boolean,
    @Ctx() context: Context,
  ): Promise<MaskImport> {
    return context.services.maskImports.start(viewerOf(context), datasetId, uploadId, format ?? null, approve);
  }

  @FieldResolver(() => Dataset, { description: 'The dataset the masks are for.' })
  dataset(@Root() job: MaskImport, @Ctx() context: Context): Promise<Dataset> {
    return context.loaders.dataset.load(job.datasetId);
  }
}

/** Where an imported mask version came from. */
@Resolver(() => Mask)
export class MaskImportOfMaskResolver {
  @FieldResolver(() => MaskImport, {
    nullable: true,
    description: 'The importMasks job that added this version (source MASK_IMPORT); null for other sources.',
  })
  async maskImport(@Root() mask: Mask, @Ctx() context: Context): Promise<MaskImport | null> {
    if (mask.source !== 'MASK_IMPORT') return null;
    return context.services.prisma.maskImport.findFirst({ where: { masks: { some: { id: mask.id } } } });
  }
}

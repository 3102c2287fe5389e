import { MaskSelection } from '@prisma/client';
import { Arg, Ctx, FieldResolver, Float, ID, Mutation, Query, Resolver, Root } from 'type-graphql';

import { fileUrl, viewerOf, type Context } from '../../graphql/context';
import { Requires } from '../../graphql/permissions';
import { exportExpiresAt } from '../../jobs/file-expiry';
import { Dataset } from '../dataset/dataset.type';
import { Run } from '../run/run.type';
import { Export } from './export.type';

@Resolver(() => Export)
export class ExportResolver {
  @Query(() => Export, { nullable: true, description: 'One export, or null if there is none with this id.' })
  export(
    @Arg('id', () => ID, { description: 'Export id.' }) id: string,
    @Ctx() context: Context,
  ): Promise<Export | null> {
    return context.services.exports.byId(id);
  }

  @Requires('ADMIN')
  @Mutation(() => Export, {
    description:
      "Queues a zip of a succeeded run (admins): scores.csv, each map's raw values as float32 TIFF in the MVTec AD " +
      "evaluation layout, predicted masks at the latest evaluation's F1-max thresholds, report.json (metrics, " +
      "options, config) and the pipeline's report. A worker makes it; downloadUrl serves it once SUCCEEDED.",
  })
  exportRun(
    @Arg('runId', () => ID, { description: 'A succeeded run.' }) runId: string,
    @Ctx() context: Context,
  ): Promise<Export> {
    return context.services.exports.exportRun(viewerOf(context), runId);
  }

  @Requires('ADMIN')
  @Mutation(() => Export, {
    description:
      "Queues a zip of a dataset's masks (admins): ground_truth/<defect type>/<name>_mask.png (MVTec AD) and " +
      'annotations.json (COCO, compressed RLE). importMasks reads it back.',
  })
  exportMasks(
    @Arg('datasetId', () => ID, { description: 'Dataset id.' }) datasetId: string,
    @Arg('which', () => MaskSelection, { description: 'Approved versions, or the latest of each image.' })
    which: MaskSelection,
    @Ctx() context: Context,
  ): Promise<Export> {
    return context.services.exports.exportMasks(viewerOf(context), datasetId, which);
  }

  @FieldResolver(() => Run, { nullable: true, description: 'The run of a RUN export.' })
  run(@Root() exported: Export, @Ctx() context: Context): Promise<Run> | null {
    return exported.runId ? context.loaders.run.load(exported.runId) : null;
  }

  @FieldResolver(() => Dataset, { description: "The dataset of a MASKS export, the run's for a RUN export." })
  dataset(@Root() exported: Export, @Ctx() context: Context): Promise<Dataset> {
    return context.loaders.dataset.load(exported.datasetId);
  }

  @FieldResolver(() => MaskSelection, { nullable: true, description: 'The mask versions of a MASKS export.' })
  which(@Root() exported: Export): MaskSelection | null {
    return exported.masks;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      'Where to download the zip (same credentials as the API), once SUCCEEDED and until expiresAt: ' +
      '<origin>/files/exports/<id>.zip.',
  })
  downloadUrl(@Root() exported: Export, @Ctx() context: Context): string | null {
    const expiresAt = exportExpiresAt(exported, context.services.config.retention);
    return expiresAt && expiresAt.getTime() > Date.now() ? fileUrl(context, `/files/exports/${exported.id}.zip`) : null;
  }

  @FieldResolver(() => Date, {
    nullable: true,
    description:
      'When the zip is removed, once SUCCEEDED (VAD_EXPORT_RETENTION_HOURS after it was made, 7 days by default); ' +
      'downloadUrl is null from then on and the download answers 410 EXPIRED.',
  })
  expiresAt(@Root() exported: Export, @Ctx() context: Context): Date | null {
    return exportExpiresAt(exported, context.services.config.retention);
  }

  @FieldResolver(() => Float, { nullable: true, description: "The zip's size in bytes, once SUCCEEDED." })
  byteSize(@Root() exported: Export): number | null {
    return exported.byteSize === null ? null : Number(exported.byteSize);
  }
}

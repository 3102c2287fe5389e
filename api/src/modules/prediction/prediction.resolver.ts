import type { Prediction as PredictionRow } from '@prisma/client';
import { Arg, Ctx, FieldResolver, Float, ID, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';

import { allows } from '../../auth/viewer';
import { Topic } from '../../events/pubsub';
import { runRangeOf } from '../../files/result-maps';
import { fileUrl, viewerOf, type Context } from '../../graphql/context';
import type { MapType } from '../../graphql/map-type';
import { Requires } from '../../graphql/permissions';
import { normalizedScore, verdictOf } from '../decision/decision.service';
import { Verdict } from '../decision/decision.type';
import { followJobById } from '../export/job-progress.subscription';
import { Image } from '../image/image.type';
import { MapScore } from '../result/result.type';
import { Run } from '../run/run.type';
import { PredictedImage, Prediction, PredictionMap } from './prediction.type';

/** Where a predicted image's files are served (file-routes.ts), like a result's under /files/results/<id>/. */
function predictionFileUrl(context: Context, image: PredictedImage, file: string): string {
  return fileUrl(context, `/files/predictions/${image.id}/${file}`);
}

function scoresOf(image: PredictedImage): Record<string, number> {
  return (image.scores ?? {}) as Record<string, number>;
}

function mapTypesOf(image: PredictedImage): MapType[] {
  return Array.isArray(image.mapKeys) ? (image.mapKeys as { mapType: MapType }[]).map((map) => map.mapType) : [];
}

@Resolver(() => Prediction)
export class PredictionResolver {
  @Query(() => Prediction, { nullable: true, description: 'One prediction, or null if there is none with this id.' })
  prediction(
    @Arg('id', () => ID, { description: 'Prediction id.' }) id: string,
    @Ctx() context: Context,
  ): Promise<Prediction | null> {
    return context.services.predictions.byId(id);
  }

  @Requires('ANNOTATE')
  @Mutation(() => Prediction, {
    description:
      "Queues the scoring of new images with a succeeded run's model (annotators and admins): images of any " +
      'dataset (imageIds), and/or the images of a zip sent to POST /uploads (uploadId; PNG, JPEG, BMP, TIFF, ' +
      'subfolders too). A worker scores them as the run scored its test set, so an image of that test set gets ' +
      "its Result's score. An unknown run is NOT_FOUND, one that has not SUCCEEDED (or lost its checkpoint) " +
      'FAILED_PRECONDITION.',
  })
  predict(
    @Arg('runId', () => ID, { description: 'A succeeded run.' }) runId: string,
    @Arg('imageIds', () => [ID], { nullable: true, description: 'Images of any dataset, scored in this order.' })
    imageIds: string[] | null,
    @Arg('uploadId', () => ID, {
      nullable: true,
      description: 'A zip of images from POST /uploads (yours, or any for admins); it is used up by the prediction.',
    })
    uploadId: string | null,
    @Ctx() context: Context,
  ): Promise<Prediction> {
    return context.services.predictions.predict(viewerOf(context), runId, imageIds ?? [], uploadId ?? null);
  }

  @Subscription(() => Prediction, {
    subscribe: followJobById(Topic.PREDICTION_PROGRESS, 'Prediction', (prisma, id) =>
      prisma.prediction.findUnique({ where: { id } }),
    ),
    description:
      'The prediction as it is now, then each time its progress, phase or status changes; completes once it has ' +
      'SUCCEEDED (images holds the scores) or FAILED. An id that is not a UUID is BAD_USER_INPUT, one that names ' +
      'no prediction NOT_FOUND.',
  })
  predictionProgress(
    @Arg('id', () => ID, { description: 'The prediction to follow.' }) _id: string,
    @Root() row: PredictionRow,
  ): PredictionRow {
    return row;
  }

  @FieldResolver(() => Run, { description: 'The run whose model scores the images.' })
  run(@Root() prediction: Prediction, @Ctx() context: Context): Promise<Run> {
    return context.loaders.run.load(prediction.runId);
  }

  @FieldResolver(() => [PredictedImage], {
    description: 'The scored images in order, once SUCCEEDED (empty before).',
  })
  images(@Root() prediction: Prediction, @Ctx() context: Context): Promise<PredictedImage[]> {
    return context.services.predictions.images(prediction.id);
  }
}

@Resolver(() => PredictedImage)
export class PredictedImageResolver {
  @FieldResolver(() => Image, { nullable: true, description: 'The dataset image scored; null for an uploaded file.' })
  image(@Root() image: PredictedImage, @Ctx() context: Context): Promise<Image> | null {
    return image.imageId ? context.loaders.image.load(image.imageId) : null;
  }

  @FieldResolver(() => String, { description: 'The image file as scored.' })
  url(@Root() image: PredictedImage, @Ctx() context: Context): string {
    return predictionFileUrl(context, image, 'image');
  }

  @FieldResolver(() => String, { description: 'The image scaled to fit 256 x 256 (PNG); ?size= 64, 128, 256 or 512.' })
  thumbnailUrl(@Root() image: PredictedImage, @Ctx() context: Context): string {
    return predictionFileUrl(context, image, 'thumbnail?size=256');
  }

  @FieldResolver(() => String, { nullable: true, description: "The model's reconstruction (PNG, model resolution)." })
  reconstructionUrl(@Root() image: PredictedImage, @Ctx() context: Context): string | null {
    return image.reconstructionKey ? predictionFileUrl(context, image, 'reconstruction.png') : null;
  }

  @FieldResolver(() => Float, {
    nullable: true,
    description: "The score normalised on the run's decision (0.5 = its threshold, 0-1); null without a decision.",
  })
  async normalizedScore(@Root() image: PredictedImage, @Ctx() context: Context): Promise<number | null> {
    const runId = await this.#runId(image, context);
    const decision = await context.services.decisions.ofRunId(runId, context.loaders);
    return decision ? normalizedScore(image.score, decision) : null;
  }

  @FieldResolver(() => Verdict, {
    nullable: true,
    description: "What the run's threshold calls the image, as for its results; null without a decision.",
  })
  async verdict(@Root() image: PredictedImage, @Ctx() context: Context): Promise<Verdict | null> {
    const runId = await this.#runId(image, context);
    const decision = await context.services.decisions.ofRunId(runId, context.loaders);
    return decision ? verdictOf(image.score, decision) : null;
  }

  @FieldResolver(() => [MapScore], { description: "The image score of every map type, in the pipeline's order." })
  scores(@Root() image: PredictedImage): MapScore[] {
    const scores = scoresOf(image);
    return mapTypesOf(image).flatMap((mapType) =>
      scores[mapType] === undefined ? [] : [{ mapType, score: scores[mapType] }],
    );
  }

  @FieldResolver(() => [PredictionMap], { description: "Every map of the image, in the pipeline's order." })
  async maps(@Root() image: PredictedImage, @Ctx() context: Context): Promise<PredictionMap[]> {
    const run = await context.loaders.run.load(await this.#runId(image, context));
    const scores = scoresOf(image);
    return mapTypesOf(image).map((mapType) => {
      const range = runRangeOf(run.mapRanges, mapType);
      return {
        mapType,
        url: predictionFileUrl(context, image, `${mapType}.png`),
        overlayUrl: predictionFileUrl(context, image, `${mapType}.png?overlay=1`),
        levelsUrl: predictionFileUrl(context, image, `${mapType}.png?colour=gray`),
        tiffUrl: predictionFileUrl(context, image, `${mapType}.tiff`),
        npyUrl: predictionFileUrl(context, image, `${mapType}.npy`),
        score: scores[mapType] ?? null,
        range: range ? { min: range[0], max: range[1] } : null,
      };
    });
  }

  async #runId(image: PredictedImage, context: Context): Promise<string> {
    return (await context.loaders.prediction.load(image.predictionId)).runId;
  }
}

/** A run's predictions and its checkpoint. Resolved here: prediction/ reads Run, so run/ need not import it back. */
@Resolver(() => Run)
export class RunPredictionsResolver {
  @FieldResolver(() => [Prediction], { description: "The run's predictions (predict), newest first." })
  predictions(
    @Root() run: Run,
    @Arg('first', () => Int, { defaultValue: 20, description: 'How many, at most 100.' }) first: number,
    @Ctx() context: Context,
  ): Promise<Prediction[]> {
    return context.services.predictions.ofRun(run.id, Math.min(100, Math.max(0, first)));
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      "Where admins download the run's trained model (LibTorch checkpoint: weights, optimizer, training state) " +
      'once it has SUCCEEDED: <origin>/files/runs/<id>/checkpoint.pt, for admins only. Null for everyone else, and while ' +
      'the run has no checkpoint.',
  })
  async checkpointUrl(@Root() run: Run, @Ctx() context: Context): Promise<string | null> {
    if (!allows(viewerOf(context), 'ADMIN')) return null;
    return (await context.services.predictions.checkpointOf(run))
      ? fileUrl(context, `/files/runs/${run.id}/checkpoint.pt`)
      : null;
  }
}

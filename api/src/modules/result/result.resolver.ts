import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, Float, ID, Info, Query, Resolver, Root } from 'type-graphql';

import { runRangeOf } from '../../files/result-maps';
import { PageArgs, type ConnectionValue } from '../../graphql/connection';
import { fileUrl, type Context } from '../../graphql/context';
import type { MapType } from '../../graphql/map-type';
import type { PlainFields } from '../../graphql/plain-fields';
import { normalizedScore, verdictOf } from '../decision/decision.service';
import { Verdict } from '../decision/decision.type';
import { Image } from '../image/image.type';
import { Run } from '../run/run.type';
import { ResultFilter, ResultOrder } from './result.input';
import { pageColumns } from './result.selection';
import { MapScore, Result, ResultConnection, type ResultMap } from './result.type';

/** A map's file: coloured in the default colour map, over the image (`overlay`), or its levels (`gray`). */
function mapUrl(context: Context, result: Result, map: string, form: 'map' | 'overlay' | 'levels' = 'map'): string {
  const query = { map: '', overlay: '?overlay=1', levels: '?colour=gray' }[form];
  return fileUrl(context, `/files/results/${result.id}/${map}.png${query}`);
}

function scoresOf(result: Result): Record<string, number> {
  return (result.scores ?? {}) as Record<string, number>;
}

/** The result's maps in the pipeline's order, with their URLs, scores and the run's ranges. */
async function resultMaps(result: Result, context: Context): Promise<ResultMap[]> {
  const run = await context.loaders.run.load(result.runId);
  const scores = scoresOf(result);
  return result.mapTypes.map((mapType) => {
    const range = runRangeOf(run.mapRanges, mapType);
    return {
      mapType,
      url: mapUrl(context, result, mapType),
      overlayUrl: mapUrl(context, result, mapType, 'overlay'),
      levelsUrl: mapUrl(context, result, mapType, 'levels'),
      tiffUrl: fileUrl(context, `/files/results/${result.id}/${mapType}.tiff`),
      npyUrl: fileUrl(context, `/files/results/${result.id}/${mapType}.npy`),
      predictedMaskUrl: fileUrl(context, `/files/results/${result.id}/predicted/${mapType}.png`),
      score: scores[mapType] ?? null,
      range: range ? { min: range[0], max: range[1] } : null,
    };
  });
}

@Resolver(() => Result)
export class ResultResolver {
  @Query(() => Result, {
    nullable: true,
    description: "One result (a run's score and maps for one test image), or null if there is none with this id.",
  })
  result(
    @Arg('id', () => ID, { description: 'Result id.' }) id: string,
    @Ctx() context: Context,
  ): Promise<Result | null> {
    return context.services.results.byId(id, context.loaders);
  }

  @FieldResolver(() => Run, { description: 'The run that made it.' })
  run(@Root() result: Result, @Ctx() context: Context): Promise<Run> {
    return context.loaders.run.load(result.runId);
  }

  @FieldResolver(() => Float, {
    nullable: true,
    description: "The score normalised on the run's decision (0.5 = its threshold, 0-1); null without a decision.",
  })
  async normalizedScore(@Root() result: Result, @Ctx() context: Context): Promise<number | null> {
    const decision = await context.services.decisions.ofRunId(result.runId, context.loaders);
    return decision ? normalizedScore(result.score, decision) : null;
  }

  @FieldResolver(() => Verdict, {
    nullable: true,
    description: "What the run's threshold calls the image; null without a decision.",
  })
  async verdict(@Root() result: Result, @Ctx() context: Context): Promise<Verdict | null> {
    const decision = await context.services.decisions.ofRunId(result.runId, context.loaders);
    return decision ? verdictOf(result.score, decision) : null;
  }

  @FieldResolver(() => [MapScore], { description: "The image score of every map type, in the pipeline's order." })
  scores(@Root() result: Result): MapScore[] {
    const position = (mapType: MapType) => {
      const at = result.mapTypes.indexOf(mapType);
      return at < 0 ? result.mapTypes.length : at;
    };
    return (Object.entries(scoresOf(result)) as [MapType, number][])
      .sort(([a], [b]) => position(a) - position(b))
      .map(([mapType, score]) => ({ mapType, score }));
  }
}

/** A run's results, paged by score. */
@Resolver(() => Run)
export class RunResultsResolver {
  @FieldResolver(() => ResultConnection, { description: 'The scored test images, most anomalous first by default.' })
  results(
    @Root() run: Run,
    @Args(() => PageArgs) page: PageArgs,
    @Arg('orderBy', () => ResultOrder, { defaultValue: ResultOrder.SCORE_DESC, description: 'Sort order.' })
    orderBy: ResultOrder,
    @Arg('filter', () => ResultFilter, { nullable: true, description: 'Conditions on the images.' })
    filter: ResultFilter | null,
    @Ctx() context: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ConnectionValue<Result>> {
    return context.services.results.list(run, page, orderBy, filter, pageColumns(info), context.loaders);
  }
}

/** An image's latest result. Resolved here: result/ declares Result.image, so image/ must not import result/ back. */
@Resolver(() => Image)
export class ImageLatestResultResolver {
  @FieldResolver(() => Result, {
    nullable: true,
    description:
      "The image's result in the latest SUCCEEDED run of its dataset that scored it (the mask editor's attention " +
      'hint when it is opened from the dataset); null when no such run has.',
  })
  latestResult(@Root() image: Image, @Ctx() context: Context): Promise<Result | null> {
    return context.services.results.latestOfImage(image.id);
  }
}

/** Result fields a page asks for on every row (see graphql/plain-fields.ts). */
export const resultPlainFields: PlainFields<Result> = {
  // A joined image lacks the columns no field of this query reads: as an Image it is complete for the query.
  image: (result, _args, context) =>
    (result.joinedImage as Image | undefined) ?? context.loaders.image.load(result.imageId),
  maps: (result, _args, context) => resultMaps(result, context),
  attentionMapUrl: (result, _args, context) =>
    result.mapTypes.includes('attention') ? mapUrl(context, result, 'attention') : null,
  attentionOverlayUrl: (result, _args, context) =>
    result.mapTypes.includes('attention') ? mapUrl(context, result, 'attention', 'overlay') : null,
  residualMapUrl: (result, _args, context) =>
    result.mapTypes.includes('residual') ? mapUrl(context, result, 'residual') : null,
  residualOverlayUrl: (result, _args, context) =>
    result.mapTypes.includes('residual') ? mapUrl(context, result, 'residual', 'overlay') : null,
  reconstructionUrl: (result, _args, context) =>
    result.hasReconstruction ? fileUrl(context, `/files/results/${result.id}/reconstruction.png`) : null,
};

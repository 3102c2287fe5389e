import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';

import { viewerOf, type Context } from '../../graphql/context';
import { BadInputError } from '../../graphql/errors';
import { MapType, mapTypeValue } from '../../graphql/map-type';
import { Requires } from '../../graphql/permissions';
import { Mask } from '../mask/mask.type';
import { Run } from '../run/run.type';
import { CurveSet, Evaluation, EvaluationImages, MapMetrics, MetricSet, type Curve } from './evaluation.type';

interface StoredMetrics {
  mapTypes?: MapType[];
  maps?: Record<string, { overall: MetricSet; perDefect: Record<string, MetricSet> }>;
  images?: { normal: number; anomalous: number; withoutMask: number; perDefect: Record<string, number> };
}

type StoredCurve = Record<string, (number | null)[]> | null;
type StoredCurveSet = { imageRoc: StoredCurve; pixelRoc: StoredCurve; pro: StoredCurve };
type StoredCurves = Record<string, { overall: StoredCurveSet; perDefect: Record<string, StoredCurveSet> }>;

function curve(stored: StoredCurve, y: 'tpr' | 'pro'): Curve | null {
  if (!stored) return null;
  return {
    x: (stored.fpr ?? []).map(Number),
    y: (stored[y] ?? []).map(Number),
    thresholds: stored.thresholds ?? [],
  };
}

@Resolver(() => Evaluation)
export class EvaluationResolver {
  @Query(() => Evaluation, { nullable: true, description: 'One evaluation, or null if there is none with this id.' })
  evaluation(
    @Arg('id', () => ID, { description: 'Evaluation id.' }) id: string,
    @Ctx() context: Context,
  ): Promise<Evaluation | null> {
    return context.services.evaluations.byId(id);
  }

  @Requires('ADMIN')
  @Mutation(() => Evaluation, {
    description: "Re-scores a succeeded run's maps against the current approved masks (admins); a worker computes it.",
  })
  evaluateRun(
    @Arg('runId', () => ID, { description: 'Run id.' }) runId: string,
    @Ctx() context: Context,
  ): Promise<Evaluation> {
    return context.services.evaluations.start(viewerOf(context), runId);
  }

  @FieldResolver(() => Run, { description: 'The run evaluated.' })
  run(@Root() evaluation: Evaluation, @Ctx() context: Context): Promise<Run> {
    return context.loaders.run.load(evaluation.runId);
  }

  @FieldResolver(() => [Mask], {
    description: 'The mask versions used as ground truth (the approved ones of the time).',
  })
  masks(@Root() evaluation: Evaluation, @Ctx() context: Context): Promise<Mask[]> {
    return context.loaders.masksOfEvaluation.load(evaluation.id);
  }

  @FieldResolver(() => Int, { description: 'How many mask versions were used.' })
  async maskCount(@Root() evaluation: Evaluation, @Ctx() context: Context): Promise<number> {
    return (await context.loaders.masksOfEvaluation.load(evaluation.id)).length;
  }

  @FieldResolver(() => EvaluationImages, {
    nullable: true,
    description: 'The test images scored (null until it succeeded).',
  })
  images(@Root() evaluation: Evaluation): EvaluationImages | null {
    const images = (evaluation.metrics as StoredMetrics).images;
    if (!images) return null;
    return {
      normal: images.normal,
      anomalous: images.anomalous,
      withoutMask: images.withoutMask,
      perDefect: Object.entries(images.perDefect).map(([defectType, count]) => ({ defectType, count })),
    };
  }

  @FieldResolver(() => [MapMetrics], { description: 'Metrics of each map type (empty until it succeeded).' })
  metrics(@Root() evaluation: Evaluation): MapMetrics[] {
    const stored = evaluation.metrics as StoredMetrics;
    return (stored.mapTypes ?? []).flatMap((mapType) => {
      const map = stored.maps?.[mapType];
      if (!map) return [];
      return [
        {
          mapType,
          overall: map.overall,
          perDefect: Object.entries(map.perDefect).map(([defectType, metrics]) => ({ defectType, metrics })),
        },
      ];
    });
  }

  @FieldResolver(() => CurveSet, {
    nullable: true,
    description: 'ROC and PRO curves of one map type, overall or for one defect type.',
  })
  curves(
    @Root() evaluation: Evaluation,
    @Arg('mapType', () => MapType, { description: 'The map type.' }) mapType: MapType,
    @Arg('defectType', () => String, { nullable: true, description: 'One defect type; all test images when absent.' })
    defectType: string | null,
  ): CurveSet | null {
    const stored = (evaluation.curves as StoredCurves)[mapType];
    if (!stored) {
      // In the pipeline's order, which the metrics keep (a JSON object's keys come back in jsonb's own order).
      const curves = Object.keys(evaluation.curves as StoredCurves) as MapType[];
      const ordered = ((evaluation.metrics as StoredMetrics).mapTypes ?? []).filter((name) => curves.includes(name));
      const known = ordered.length === curves.length ? ordered : curves;
      if (known.length > 0)
        throw new BadInputError(
          `the evaluation has no ${mapTypeValue(mapType)} map: mapType must be one of ` +
            `${known.map(mapTypeValue).join(', ')}`,
          'mapType',
        );
      return null;
    }
    const set = defectType == null ? stored.overall : stored.perDefect[defectType];
    if (!set) return null;
    return { imageRoc: curve(set.imageRoc, 'tpr'), pixelRoc: curve(set.pixelRoc, 'tpr'), pro: curve(set.pro, 'pro') };
  }
}

/** A run's evaluations. */
@Resolver(() => Run)
export class RunEvaluationsResolver {
  @FieldResolver(() => [Evaluation], { description: 'Its evaluations, newest first (the first comes with the run).' })
  evaluations(@Root() run: Run, @Ctx() context: Context): Promise<Evaluation[]> {
    return context.loaders.evaluationsOfRun.load(run.id);
  }

  @FieldResolver(() => Evaluation, { nullable: true, description: 'The newest evaluation that succeeded.' })
  async latestEvaluation(@Root() run: Run, @Ctx() context: Context): Promise<Evaluation | null> {
    const all = await context.loaders.evaluationsOfRun.load(run.id);
    return all.find((evaluation) => evaluation.status === 'SUCCEEDED') ?? null;
  }
}

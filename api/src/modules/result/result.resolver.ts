import { Arg, Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';

import type { Permission } from '../../auth/viewer';
import type { Context } from '../../graphql/context';
import { Image } from '../image/image.type';
import { Run } from '../run/run.type';
import { MapScore, Result } from './result.type';

function mapUrl(result: Result, map: string, overlay: boolean): string {
  return `/files/results/${result.id}/${map}.png${overlay ? '?overlay=1' : ''}`;
}

@Resolver(() => Result)
@Authorized<Permission>('READ')
export class ResultResolver {
  @FieldResolver(() => Image, { description: 'The test image.' })
  image(@Root() result: Result, @Ctx() context: Context): Promise<Image> {
    return context.loaders.image.load(result.imageId);
  }

  @FieldResolver(() => Run, { description: 'The run that made it.' })
  run(@Root() result: Result, @Ctx() context: Context): Promise<Run> {
    return context.loaders.run.load(result.runId);
  }

  @FieldResolver(() => [MapScore], { description: 'The image score of every map type.' })
  scores(@Root() result: Result): MapScore[] {
    const scores = (result.scores ?? {}) as Record<string, number>;
    return Object.entries(scores).map(([mapType, score]) => ({ mapType, score }));
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      "The attention map as a colour PNG on the run's scale; with overlay, blended over the image at its size.",
  })
  attentionMapUrl(
    @Root() result: Result,
    @Arg('overlay', () => Boolean, { defaultValue: false, description: 'Blend over the image.' }) overlay: boolean,
  ): string | null {
    return result.attentionMapKey ? mapUrl(result, 'attention', overlay) : null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'The residual |x - x_hat| as a colour PNG; with overlay, blended over the image at its size.',
  })
  residualMapUrl(
    @Root() result: Result,
    @Arg('overlay', () => Boolean, { defaultValue: false, description: 'Blend over the image.' }) overlay: boolean,
  ): string | null {
    return result.residualMapKey ? mapUrl(result, 'residual', overlay) : null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "The model's reconstruction of the image (PNG, model resolution).",
  })
  reconstructionUrl(@Root() result: Result): string | null {
    return result.reconstructionKey ? `/files/results/${result.id}/reconstruction.png` : null;
  }
}

import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';

import type { Context } from '../../graphql/context';
import { Image } from '../image/image.type';
import { Run } from '../run/run.type';
import { MapScore, Result } from './result.type';

function mapUrl(result: Result, map: string, overlay: boolean): string {
  return `/files/results/${result.id}/${map}.png${overlay ? '?overlay=1' : ''}`;
}

@Resolver(() => Result)
export class ResultResolver {
  @FieldResolver(() => Image, { description: 'The test image.' })
  image(@Root() result: Result, @Ctx() context: Context): Image | Promise<Image> {
    return context.loaders.now('image', result.imageId);
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

  // The URL fields take no arguments: a field with arguments resolves through a promise (argument
  // validation), and a page of 100 results asks for hundreds of them.
  @FieldResolver(() => String, {
    nullable: true,
    description: "The attention map as a colour PNG at model resolution, coloured on the run's scale.",
  })
  attentionMapUrl(@Root() result: Result): string | null {
    return result.hasAttentionMap ? mapUrl(result, 'attention', false) : null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "The attention map blended over the image, at the image's own resolution (PNG).",
  })
  attentionOverlayUrl(@Root() result: Result): string | null {
    return result.hasAttentionMap ? mapUrl(result, 'attention', true) : null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "The residual |x - x_hat| as a colour PNG at model resolution, coloured on the run's scale.",
  })
  residualMapUrl(@Root() result: Result): string | null {
    return result.hasResidualMap ? mapUrl(result, 'residual', false) : null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "The residual blended over the image, at the image's own resolution (PNG).",
  })
  residualOverlayUrl(@Root() result: Result): string | null {
    return result.hasResidualMap ? mapUrl(result, 'residual', true) : null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "The model's reconstruction of the image (PNG, model resolution).",
  })
  reconstructionUrl(@Root() result: Result): string | null {
    return result.hasReconstruction ? `/files/results/${result.id}/reconstruction.png` : null;
  }
}

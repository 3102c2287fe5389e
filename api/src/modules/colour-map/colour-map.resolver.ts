import { Ctx, Query, Resolver } from 'type-graphql';

import { colourMapList } from '../../files/colour-maps';
import { fileUrl, type Context } from '../../graphql/context';
import { ColourMap } from './colour-map.type';

@Resolver(() => ColourMap)
export class ColourMapResolver {
  @Query(() => [ColourMap], { description: 'The colour maps, the default (the one map URLs use unasked) first.' })
  colourMaps(@Ctx() context: Context): ColourMap[] {
    return colourMapList().map((map) => ({ ...map, legendUrl: fileUrl(context, map.legendUrl) }));
  }
}

import { Query, Resolver } from 'type-graphql';

import { colourMapList } from '../../files/colour-maps';
import { ColourMap } from './colour-map.type';

@Resolver(() => ColourMap)
export class ColourMapResolver {
  @Query(() => [ColourMap], { description: 'The colour maps, the default (the one map URLs use unasked) first.' })
  colourMaps(): ColourMap[] {
    return colourMapList();
  }
}

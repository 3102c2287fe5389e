import { Field, ObjectType } from 'type-graphql';

@ObjectType({
  description:
    'A colour map the API colours maps with (`?colour=<name>` on a map URL), for clients that colour levels ' +
    'themselves (`ResultMap.levelsUrl`) with the same colours.',
  simpleResolvers: true,
})
export class ColourMap {
  @Field(() => String, { description: 'Name, as the `colour` parameter of map URLs takes it: inferno, viridis...' })
  name!: string;

  @Field(() => String, { description: 'Name for people: Inferno, Viridis...' })
  label!: string;

  @Field(() => String, { description: 'The colour map as a 256 x 1 PNG: pixel x is the colour of level x.' })
  legendUrl!: string;
}

import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, ID, Info, Query, Resolver } from 'type-graphql';

import type { Context } from '../../graphql/context';
import { BadInputError } from '../../graphql/errors';
import { Node } from '../../graphql/node';

@Resolver()
export class NodeResolver {
  @Query(() => Node, {
    nullable: true,
    description:
      'Any object by its id (Relay), read with the rules of its own query: null when the id names nothing, or ' +
      'nothing the credentials may read. An id that is not a UUID is BAD_USER_INPUT.',
  })
  async node(
    @Arg('id', () => ID, { description: 'An id of any type.' }) id: string,
    @Ctx() context: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<object | null> {
    const [found] = await context.services.nodes.read([id], 'id', context, info.schema);
    return found ?? null;
  }

  @Query(() => [Node], {
    nullable: 'items',
    description:
      'Objects by their ids, in the same order, each as node(id:) answers it (null where it would be). At most ' +
      'the server page size (100 by default) ids.',
  })
  nodes(
    @Arg('ids', () => [ID], { description: 'Ids of any types.' }) ids: string[],
    @Ctx() context: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<(object | null)[]> {
    const most = context.services.config.limits.maxPageSize;
    if (ids.length > most) throw new BadInputError(`ids: at most ${most} ids, got ${ids.length}`, 'ids');
    return context.services.nodes.read(ids, 'ids', context, info.schema);
  }
}

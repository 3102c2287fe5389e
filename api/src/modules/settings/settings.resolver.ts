import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';

import type { Context } from '../../graphql/context';
import { Requires } from '../../graphql/permissions';
import { WorkspaceSettings } from './settings.type';

@Resolver(() => WorkspaceSettings)
export class SettingsResolver {
  @Query(() => WorkspaceSettings, { description: "The workspace's settings (anyone signed in may read them)." })
  workspaceSettings(@Ctx() context: Context): Promise<WorkspaceSettings> {
    return context.services.settings.workspace();
  }

  @Requires('ADMIN')
  @Mutation(() => WorkspaceSettings, {
    description: 'Changes workspace settings (admins); settings left out keep their value. Answers all of them.',
  })
  updateWorkspaceSettings(
    @Arg('allowSelfReview', () => Boolean, {
      nullable: true,
      description: 'Whether reviewers may approve or reject their own masks.',
    })
    allowSelfReview: boolean | null,
    @Ctx() context: Context,
  ): Promise<WorkspaceSettings> {
    return context.services.settings.update({ allowSelfReview: allowSelfReview ?? undefined });
  }
}

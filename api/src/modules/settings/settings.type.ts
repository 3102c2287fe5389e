import { Field, ObjectType } from 'type-graphql';

@ObjectType({ simpleResolvers: true, description: 'Rules for the whole workspace, set by admins.' })
export class WorkspaceSettings {
  @Field(() => Boolean, {
    description:
      'Whether a reviewer may approve or reject a mask they drew themselves. Off by default: reviewMask answers ' +
      'SELF_REVIEW_FORBIDDEN and the review queue leaves the reviewer their own masks out.',
  })
  allowSelfReview!: boolean;
}

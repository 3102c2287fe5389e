import { ReviewDecision } from '@prisma/client';
import { MaxLength } from 'class-validator';
import { Args, ArgsType, Ctx, Field, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';

import { fileUrl, viewerOf, type Context } from '../../graphql/context';
import { Requires } from '../../graphql/permissions';
import { User } from '../user/user.type';
import { Mask, MaskReview } from './mask.type';

@ArgsType()
class SaveMaskArgs {
  @Field(() => ID, { description: 'The image the mask belongs to.' })
  imageId!: string;

  @Field(() => String, {
    description:
      "The mask as a base64 PNG (a data: URL prefix is accepted) of the image's size: light pixels are defective.",
  })
  pngBase64!: string;

  @Field(() => Int, {
    description: 'The version this mask was drawn from (0 if the image had none): a stale one is a CONFLICT.',
  })
  baseVersion!: number;

  @Field(() => Boolean, { defaultValue: false, description: 'Save as SUBMITTED (ready for review) rather than DRAFT.' })
  submit!: boolean;
}

@ArgsType()
class ReviewMaskArgs {
  @Field(() => ID, { description: 'The mask version to review (it must be SUBMITTED).' })
  maskId!: string;

  @Field(() => ReviewDecision, { description: 'Approve or reject.' })
  decision!: ReviewDecision;

  @Field(() => String, { defaultValue: '', description: 'Why, for the annotator (up to 2000 characters).' })
  @MaxLength(2000)
  comment!: string;
}

@ArgsType()
class RestoreMaskVersionArgs {
  @Field(() => ID, { description: 'The image whose mask it is.' })
  imageId!: string;

  @Field(() => Int, { description: 'The earlier version to make the latest again.' })
  version!: number;

  @Field(() => Int, {
    description: 'The latest version as the client knows it: a stale one is a CONFLICT, as for saveMask.',
  })
  baseVersion!: number;

  @Field(() => Boolean, { defaultValue: false, description: 'Save as SUBMITTED (ready for review) rather than DRAFT.' })
  submit!: boolean;
}

@Resolver(() => Mask)
export class MaskResolver {
  @Requires('ANNOTATE')
  @Mutation(() => Mask, {
    description:
      'Saves a new mask version (annotators and admins). Append-only: earlier versions stay. ' +
      'CONFLICT (extensions.currentVersion) when baseVersion is not the latest version.',
  })
  saveMask(@Args(() => SaveMaskArgs) args: SaveMaskArgs, @Ctx() context: Context): Promise<Mask> {
    return context.services.masks.save(viewerOf(context), args.imageId, args.pngBase64, args.baseVersion, args.submit);
  }

  @Requires('ANNOTATE')
  @Mutation(() => Mask, {
    description:
      "Saves an earlier version's pixels as a new version (baseVersion + 1, by the caller), as saveMask would: " +
      'append-only, CONFLICT (extensions.currentVersion) when baseVersion is not the latest version.',
  })
  restoreMaskVersion(
    @Args(() => RestoreMaskVersionArgs) args: RestoreMaskVersionArgs,
    @Ctx() context: Context,
  ): Promise<Mask> {
    return context.services.masks.restore(viewerOf(context), args.imageId, args.version, args.baseVersion, args.submit);
  }

  @Requires('ADMIN')
  @Mutation(() => Mask, { description: 'Approves or rejects a submitted mask version (admins).' })
  reviewMask(@Args(() => ReviewMaskArgs) args: ReviewMaskArgs, @Ctx() context: Context): Promise<Mask> {
    return context.services.masks.review(viewerOf(context), args.maskId, args.decision, args.comment);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who drew it; null for imported masks.' })
  author(@Root() mask: Mask, @Ctx() context: Context): Promise<User> | null {
    return mask.authorId ? context.loaders.user.load(mask.authorId) : null;
  }

  @FieldResolver(() => String, { description: 'The mask as a single-channel PNG, 255 = defective.' })
  url(@Root() mask: Mask, @Ctx() context: Context): string {
    return fileUrl(context, `/files/masks/${mask.id}`);
  }

  @FieldResolver(() => [MaskReview], { description: 'Reviews of this version, oldest first.' })
  reviews(@Root() mask: Mask, @Ctx() context: Context): Promise<MaskReview[]> {
    return context.loaders.reviewsOfMask.load(mask.id);
  }
}

@Resolver(() => MaskReview)
export class MaskReviewResolver {
  @FieldResolver(() => User, { nullable: true, description: 'Who reviewed it (null if that account is gone).' })
  reviewer(@Root() review: MaskReview, @Ctx() context: Context): Promise<User> | null {
    return review.reviewerId ? context.loaders.user.load(review.reviewerId) : null;
  }
}

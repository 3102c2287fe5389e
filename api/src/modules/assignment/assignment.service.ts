import type { Image, Prisma, PrismaClient, User } from '@prisma/client';

import type { Viewer } from '../../auth/viewer';
import { keysetPage, type ConnectionValue, type PageRequest } from '../../graphql/connection';
import { BadInputError, NotFoundError } from '../../graphql/errors';
import { checkId } from '../../graphql/ids';

/** The most image ids one assignImages or unassignImages may name (a whole defect type has no limit). */
export const MAX_ASSIGNED_IDS = 5000;

/** Which images of a dataset an assignment names: chosen ones, or every image of one defect type. */
export interface ImageChoice {
  imageIds?: readonly string[] | null;
  defectType?: string | null;
}

/** Mask states that leave an image in its annotator's queue: nothing drawn yet, a draft, or sent back. */
const OPEN_MASK: Prisma.ImageWhereInput = {
  OR: [{ maskStatus: null }, { maskStatus: { in: ['DRAFT', 'REJECTED'] } }],
};

export class AssignmentService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly maxPageSize: number,
  ) {}

  /**
   * Assigns the chosen images of a dataset to an annotator, replacing whoever had them. Answers how many images
   * are now assigned to that user by this call. The user must be an enabled annotator or admin; every image id
   * must name an image of this dataset, or nothing is assigned.
   */
  async assign(viewer: Viewer, datasetId: string, choice: ImageChoice, userId: string): Promise<number> {
    checkId(userId, 'User');
    const user = await this.prisma.user.findUnique({ where: { id: userId } });
    if (!user) throw new NotFoundError('User', userId);
    checkAssignable(user);
    const imageIds = await this.#chosen(datasetId, choice);
    const count = await this.prisma.$executeRaw`
      INSERT INTO "ImageAssignment" ("imageId", "datasetId", "userId", "assignedById")
      SELECT i.id, i."datasetId", ${userId}::uuid, ${viewer.user.id}::uuid
      FROM "Image" AS i
      WHERE i."datasetId" = ${datasetId}::uuid AND i.id = ANY(${imageIds}::uuid[])
      ON CONFLICT ("imageId") DO UPDATE
      SET "userId" = EXCLUDED."userId", "assignedById" = EXCLUDED."assignedById", "createdAt" = now()`;
    return count;
  }

  /** Removes the chosen images' assignments; answers how many images had one. */
  async unassign(datasetId: string, choice: ImageChoice): Promise<number> {
    const imageIds = await this.#chosen(datasetId, choice);
    const removed = await this.prisma.imageAssignment.deleteMany({
      where: { datasetId, imageId: { in: imageIds } },
    });
    return removed.count;
  }

  /**
   * The signed-in annotator's queue: their assigned images whose mask is not yet submitted or approved (none,
   * a draft, or rejected), by name, optionally in one dataset.
   */
  async queue(
    viewer: Viewer,
    datasetId: string | null | undefined,
    page: PageRequest,
  ): Promise<ConnectionValue<Image>> {
    if (datasetId) checkId(datasetId, 'Dataset');
    return keysetPage(this.prisma.image, {
      where: {
        AND: [{ assignment: { userId: viewer.user.id } }, OPEN_MASK, datasetId ? { datasetId } : {}],
      },
      field: 'name',
      direction: 'asc',
      ...page,
      maxPageSize: this.maxPageSize,
    });
  }

  /** The ids of the chosen images, every one checked to be in the dataset; BAD_USER_INPUT naming what is wrong. */
  async #chosen(datasetId: string, choice: ImageChoice): Promise<string[]> {
    checkId(datasetId, 'Dataset');
    const hasIds = choice.imageIds !== null && choice.imageIds !== undefined;
    const defectType = choice.defectType?.trim() || null;
    if (hasIds === (defectType !== null)) {
      throw new BadInputError('give either imageIds or defectType (one of them, not both)', 'imageIds');
    }
    const dataset = await this.prisma.dataset.findUnique({ where: { id: datasetId }, select: { id: true } });
    if (!dataset) throw new NotFoundError('Dataset', datasetId);
    if (defectType !== null) {
      const images = await this.prisma.image.findMany({ where: { datasetId, defectType }, select: { id: true } });
      if (images.length === 0) {
        throw new BadInputError(`the dataset has no images of defect type "${defectType}"`, 'defectType');
      }
      return images.map((image) => image.id);
    }
    const ids = [...new Set(choice.imageIds)];
    if (ids.length === 0) throw new BadInputError('imageIds is empty: choose at least one image', 'imageIds');
    if (ids.length > MAX_ASSIGNED_IDS) {
      throw new BadInputError(
        `imageIds names ${ids.length} images; at most ${MAX_ASSIGNED_IDS} at once (or assign a whole defect type)`,
        'imageIds',
      );
    }
    for (const id of ids) checkId(id, 'Image');
    const found = await this.prisma.image.findMany({
      where: { id: { in: ids } },
      select: { id: true, name: true, datasetId: true },
    });
    const byId = new Map(found.map((image) => [image.id, image]));
    for (const id of ids) {
      const image = byId.get(id);
      if (!image) throw new NotFoundError('Image', id);
      if (image.datasetId !== datasetId) {
        throw new BadInputError(`image ${image.name} (${id}) belongs to another dataset`, 'imageIds');
      }
    }
    return ids;
  }
}

/** Only people who can save masks can be given images to annotate, and only while they may sign in. */
function checkAssignable(user: User): void {
  if (user.disabledAt) {
    throw new BadInputError(`${user.email} is disabled: enable the account before assigning images to it`, 'userId');
  }
  if (user.role === 'VIEWER') {
    throw new BadInputError(
      `${user.email} is a VIEWER and cannot save masks: only annotators and admins can be assigned images`,
      'userId',
    );
  }
}

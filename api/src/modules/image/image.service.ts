import type { Image, ImageLabel, Prisma, PrismaClient } from '@prisma/client';
import { compareNames, NORMAL_DEFECT_TYPE } from '@vad/models';

import { Topic, type EventBus } from '../../events/pubsub';
import { keysetPage, type ConnectionValue, type PageRequest } from '../../graphql/connection';
import { UNLABELED_DEFECT_TYPE } from '../../graphql/enums';
import { BadInputError, NotFoundError } from '../../graphql/errors';
import { checkId, isUuid } from '../../graphql/ids';
import { ImageOrder, type ImageFilter } from './image.input';
import type { ImageLabelChangedEvent } from './image.type';

const MAX_DEFECT_TYPE_LENGTH = 100;

/** The dataset column that counts the images of each label. */
const COUNT_OF: Record<ImageLabel, 'normalCount' | 'anomalousCount' | 'unlabeledCount'> = {
  NORMAL: 'normalCount',
  ANOMALOUS: 'anomalousCount',
  UNLABELED: 'unlabeledCount',
};

/**
 * The label and defect type an image gets from labelImage's arguments, or BAD_USER_INPUT naming what is wrong.
 * A blank defect type counts as none: forms send empty fields.
 */
function labelOf(label: ImageLabel, defectType: string | null | undefined): { label: ImageLabel; defectType: string } {
  const given = defectType?.trim() || null;
  switch (label) {
    case 'NORMAL':
      if (given !== null && given !== NORMAL_DEFECT_TYPE) {
        throw new BadInputError(
          `a NORMAL image has the defect type "${NORMAL_DEFECT_TYPE}", not "${given}": label it ANOMALOUS to give it a defect type`,
          'defectType',
        );
      }
      return { label, defectType: NORMAL_DEFECT_TYPE };
    case 'UNLABELED':
      if (given !== null && given !== UNLABELED_DEFECT_TYPE) {
        throw new BadInputError(`an UNLABELED image has no defect type, got "${given}"`, 'defectType');
      }
      return { label, defectType: UNLABELED_DEFECT_TYPE };
    case 'ANOMALOUS': {
      if (given === null) throw new BadInputError('an ANOMALOUS image needs a defectType (e.g. "crack")', 'defectType');
      if (given.length > MAX_DEFECT_TYPE_LENGTH) {
        throw new BadInputError(
          `defectType is ${given.length} characters long; at most ${MAX_DEFECT_TYPE_LENGTH} are allowed`,
          'defectType',
        );
      }
      // `good` is what the pipeline and filters know normal images by, `unlabeled` what filters find unlabeled
      // ones by: an anomalous image named either way would be counted with the wrong ones.
      for (const reserved of [NORMAL_DEFECT_TYPE, UNLABELED_DEFECT_TYPE]) {
        if (given.toLowerCase() === reserved) {
          throw new BadInputError(
            `"${given}" cannot be the defect type of an ANOMALOUS image: it is reserved for ${reserved === NORMAL_DEFECT_TYPE ? 'NORMAL' : 'UNLABELED'} images`,
            'defectType',
          );
        }
      }
      return { label, defectType: given };
    }
  }
}

/** An assignee filter's user id; not a UUID is BAD_USER_INPUT before the database sees it. */
function checkAssigneeId(id: string): string {
  if (!isUuid(id)) throw new BadInputError(`filter.assigneeId is not a user id: "${id}"`, 'assigneeId');
  return id;
}

export class ImageService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly events: EventBus,
    private readonly maxPageSize: number,
  ) {}

  async byId(id: string): Promise<Image | null> {
    if (!isUuid(id)) return null;
    return this.prisma.image.findUnique({ where: { id } });
  }

  static where(datasetId: string, filter: ImageFilter | null | undefined): Prisma.ImageWhereInput {
    return {
      datasetId,
      ...(filter?.split ? { split: filter.split } : {}),
      ...(filter?.label ? { label: filter.label } : {}),
      ...(filter?.defectType ? { defectType: filter.defectType } : {}),
      ...(filter?.maskStatus ? { maskStatus: filter.maskStatus } : {}),
      ...(filter?.hasMask === true ? { maskVersion: { gt: 0 } } : {}),
      ...(filter?.hasMask === false ? { maskVersion: 0 } : {}),
      AND: [
        filter?.assigneeId ? { assignment: { userId: checkAssigneeId(filter.assigneeId) } } : {},
        filter?.assigned === true ? { assignment: { isNot: null } } : {},
        filter?.assigned === false ? { assignment: { is: null } } : {},
      ],
    };
  }

  /** A page of a dataset's images; names are unique in a dataset, so the name alone orders them. */
  async list(
    datasetId: string,
    page: PageRequest,
    filter: ImageFilter | null | undefined,
    order: ImageOrder,
  ): Promise<ConnectionValue<Image>> {
    return keysetPage(this.prisma.image, {
      where: ImageService.where(datasetId, filter),
      field: 'name',
      direction: order === ImageOrder.NAME_DESC ? 'desc' : 'asc',
      ...page,
      maxPageSize: this.maxPageSize,
    });
  }

  /**
   * Sets an image's ground-truth label and defect type, and the dataset's label counts and defect types with it,
   * in one transaction. Label changes in a dataset take turns on its row, so that two made at once cannot both
   * compute the defect types without the other's change. Setting what the image already has changes nothing
   * and publishes nothing.
   */
  async label(imageId: string, label: ImageLabel, defectType: string | null | undefined): Promise<Image> {
    checkId(imageId, 'Image');
    const wanted = labelOf(label, defectType);
    const found = await this.prisma.image.findUnique({ where: { id: imageId }, select: { datasetId: true } });
    if (!found) throw new NotFoundError('Image', imageId);
    const { datasetId } = found;
    const { image, changed } = await this.prisma.$transaction(async (tx) => {
      const locked = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM "Dataset" WHERE id = ${datasetId}::uuid FOR UPDATE`;
      const current = locked.length > 0 ? await tx.image.findUnique({ where: { id: imageId } }) : null;
      // Deleted with its dataset since it was found.
      if (!current) throw new NotFoundError('Image', imageId);
      if (wanted.label === 'ANOMALOUS' && current.split === 'TRAIN') {
        throw new BadInputError(
          `image ${current.name} is a training image: training images are the known-good ones, so it can be ` +
            'NORMAL or UNLABELED but not ANOMALOUS',
          'label',
        );
      }
      if (current.label === wanted.label && current.defectType === wanted.defectType)
        return { image: current, changed: false };
      const updated = await tx.image.update({ where: { id: imageId }, data: wanted });
      const anomalous = await tx.image.findMany({
        where: { datasetId, label: 'ANOMALOUS' },
        distinct: ['defectType'],
        select: { defectType: true },
      });
      const counts: Prisma.DatasetUpdateInput = {};
      if (current.label !== wanted.label) {
        counts[COUNT_OF[current.label]] = { decrement: 1 };
        counts[COUNT_OF[wanted.label]] = { increment: 1 };
      }
      await tx.dataset.update({
        where: { id: datasetId },
        // Sorted like an import sorts them.
        data: { ...counts, defectTypes: anomalous.map((row) => row.defectType).sort(compareNames) },
      });
      return { image: updated, changed: true };
    });
    if (changed) {
      const event: ImageLabelChangedEvent = { imageId };
      await this.events.publish(Topic.IMAGE_LABEL_CHANGED, datasetId, event);
    }
    return image;
  }
}

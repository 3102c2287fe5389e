import type { Image, Prisma, PrismaClient } from '@prisma/client';

import { checkPageSize, decodeCursor, keysetWhere, toConnection, type ConnectionValue } from '../../graphql/connection';
import { isUuid } from '../../graphql/ids';
import { ImageOrder, type ImageFilter } from './image.input';

export class ImageService {
  constructor(
    private readonly prisma: PrismaClient,
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
    };
  }

  /** A page of a dataset's images; names are unique in a dataset, so the name alone orders them. */
  async list(
    datasetId: string,
    first: number,
    after: string | null | undefined,
    filter: ImageFilter | null | undefined,
    order: ImageOrder,
  ): Promise<ConnectionValue<Image>> {
    checkPageSize(first, this.maxPageSize);
    const cursor = after ? decodeCursor(after) : null;
    const direction = order === ImageOrder.NAME_DESC ? 'desc' : 'asc';
    const where = ImageService.where(datasetId, filter);
    const rows = await this.prisma.image.findMany({
      where: { AND: [where, keysetWhere('name', direction, cursor)] },
      orderBy: [{ name: direction }, { id: direction }],
      take: first + 1,
    });
    return toConnection(
      rows,
      first,
      after,
      (row) => row.name,
      () => this.prisma.image.count({ where }),
    );
  }
}

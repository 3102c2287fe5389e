import { randomUUID } from 'node:crypto';

import { Prisma, type Mask, type PrismaClient, type ReviewDecision } from '@prisma/client';
import sharp from 'sharp';

import type { Viewer } from '../../auth/viewer';
import type { Limits } from '../../config';
import type { EventBus } from '../../events/pubsub';
import { Topic } from '../../events/pubsub';
import { FileLease } from '../../files/leases';
import { binaryMask } from '../../files/binary-mask';
import { binaryMaskPng } from '../../files/render';
import type { FileStore } from '../../files/store';
import {
  BadInputError,
  ConflictError,
  FailedPreconditionError,
  NotFoundError,
  SelfReviewForbiddenError,
} from '../../graphql/errors';
import { checkId } from '../../graphql/ids';
import { emitMaskEvent } from '../webhook/webhook.events';
import { MaskChangeKind, type MaskChangeEvent } from './mask.type';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * A drawn mask as the binary mask it means (files/binary-mask.ts), after flattening transparency onto black. Its size is read from the PNG header first, and a mask of another
 * size than its image, or over the pixel limit, is refused before any pixel is decoded.
 */
async function readDrawnMask(png: Buffer, width: number, height: number, maxPixels: number): Promise<Uint8Array> {
  const header = await pngSize(png);
  if (header.width * header.height > maxPixels) {
    throw new BadInputError(
      `the mask is ${header.width} x ${header.height}, more than the limit of ${maxPixels} pixels (VAD_MAX_IMAGE_PIXELS)`,
      'pngBase64',
    );
  }
  if (header.width !== width || header.height !== height) {
    throw new BadInputError(
      `the mask is ${header.width} x ${header.height}; the image is ${width} x ${height}`,
      'pngBase64',
    );
  }
  let decoded: { data: Buffer; info: sharp.OutputInfo };
  try {
    decoded = await sharp(png, { failOn: 'truncated', limitInputPixels: maxPixels })
      .flatten({ background: '#000000' })
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw new BadInputError(
      `pngBase64 is not a readable PNG (${(error as Error).message.split('\n')[0]})`,
      'pngBase64',
    );
  }
  const { info, data } = decoded;
  if (info.width !== width || info.height !== height) {
    throw new BadInputError(
      `the mask is ${info.width} x ${info.height}; the image is ${width} x ${height}`,
      'pngBase64',
    );
  }
  return binaryMask(data, info.channels, width * height);
}

/** A PNG's size from its header (sharp reads only the header for metadata; no pixel is decoded). */
async function pngSize(png: Buffer): Promise<{ width: number; height: number }> {
  try {
    // The pixel limit is checked by the caller, with a message that says it; sharp's own would say less.
    const { width, height } = await sharp(png, { limitInputPixels: false }).metadata();
    return { width, height };
  } catch (error) {
    throw new BadInputError(
      `pngBase64 is not a readable PNG (${(error as Error).message.split('\n')[0]})`,
      'pngBase64',
    );
  }
}

/** Versions are 32-bit integers, and a new one is baseVersion + 1. */
function checkBaseVersion(baseVersion: number): void {
  if (!Number.isInteger(baseVersion) || baseVersion < 0 || baseVersion >= 2 ** 31 - 1) {
    throw new BadInputError(`baseVersion must be 0 (no mask yet) or a mask version, got ${baseVersion}`, 'baseVersion');
  }
}

export class MaskService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: FileStore,
    private readonly events: EventBus,
    private readonly limits: Limits,
    /** Whether the workspace lets reviewers approve or reject their own masks (settings/settings.service.ts). */
    private readonly allowsSelfReview: () => Promise<boolean>,
  ) {}

  /**
   * Saves a new version of an image's mask. `baseVersion` is the version the annotator started from (0 for
   * none): if someone saved since, nothing is written and CONFLICT says the current version, so the client
   * can reload, merge and save again without losing anyone's work.
   */
  async save(viewer: Viewer, imageId: string, pngBase64: string, baseVersion: number, submit: boolean): Promise<Mask> {
    checkId(imageId, 'Image');
    checkBaseVersion(baseVersion);
    const text = pngBase64.replace(/^data:image\/png;base64,/, '').replace(/\s+/g, '');
    if (text.length > Math.ceil((this.limits.maxMaskBytes * 4) / 3) + 4) {
      throw new BadInputError(
        `the mask is larger than ${this.limits.maxMaskBytes} bytes (VAD_MAX_MASK_BYTES)`,
        'pngBase64',
      );
    }
    if (!BASE64.test(text)) throw new BadInputError('pngBase64 is not base64', 'pngBase64');
    const bytes = Buffer.from(text, 'base64');
    if (!bytes.subarray(0, 8).equals(PNG_SIGNATURE))
      throw new BadInputError('pngBase64 is not a PNG image', 'pngBase64');

    const image = await this.prisma.image.findUnique({ where: { id: imageId } });
    if (!image) throw new NotFoundError('Image', imageId);
    const binary = await readDrawnMask(bytes, image.width, image.height, this.limits.maxImagePixels);
    const { png, defectPixels } = await binaryMaskPng(image.width, image.height, binary);
    // Leased until the version commits: another dataset's deletion may collect the same bytes meanwhile.
    const files = new FileLease(this.prisma, this.store);
    try {
      return await this.#write(viewer, image, files, await files.put(png), defectPixels, baseVersion, submit);
    } finally {
      await files.release();
    }
  }

  /**
   * Makes an earlier version the latest again: a new version (baseVersion + 1) by the viewer with that version's
   * pixels, DRAFT or SUBMITTED as for save. The earlier version stays as it was, and a stale baseVersion is the
   * same CONFLICT as for save.
   */
  async restore(viewer: Viewer, imageId: string, version: number, baseVersion: number, submit: boolean): Promise<Mask> {
    checkId(imageId, 'Image');
    checkBaseVersion(baseVersion);
    if (!Number.isInteger(version) || version < 1 || version >= 2 ** 31) {
      throw new BadInputError(`version must be a mask version (1 or more), got ${version}`, 'version');
    }
    const image = await this.prisma.image.findUnique({ where: { id: imageId } });
    if (!image) throw new NotFoundError('Image', imageId);
    const source = await this.prisma.mask.findUnique({ where: { imageId_version: { imageId, version } } });
    if (!source) throw new NotFoundError(`Version ${version} of the mask of image`, imageId);
    // The same bytes, leased again for the new row: a deletion elsewhere may be collecting them meanwhile.
    const files = new FileLease(this.prisma, this.store);
    try {
      const key = await files.put(await this.store.read(source.contentHash));
      return await this.#write(viewer, image, files, key, source.defectPixels, baseVersion, submit);
    } finally {
      await files.release();
    }
  }

  /** The new version, if baseVersion is still the latest, in one transaction that gives the file lease up. */
  async #write(
    viewer: Viewer,
    image: { id: string; datasetId: string; width: number; height: number },
    files: FileLease,
    contentHash: string,
    defectPixels: number,
    baseVersion: number,
    submit: boolean,
  ): Promise<Mask> {
    const imageId = image.id;
    const status = submit ? 'SUBMITTED' : 'DRAFT';
    const id = randomUUID();
    const version = baseVersion + 1;

    const conflict = async (): Promise<never> => {
      const current = await this.prisma.image.findUnique({ where: { id: imageId }, select: { maskVersion: true } });
      const currentVersion = current?.maskVersion ?? 0;
      throw new ConflictError(
        `the mask of this image is at version ${currentVersion}, not ${baseVersion}: someone saved in between. ` +
          'Nothing was saved: load the current version, reapply your changes and save with its version as baseVersion.',
        { currentVersion, baseVersion },
      );
    };
    let mask: Mask;
    try {
      mask = await this.prisma
        .$transaction(async (tx) => {
          // The version check and the claim of the next version are one conditional update.
          const claimed = await tx.image.updateMany({
            where: { id: imageId, maskVersion: baseVersion },
            data: { maskVersion: version, currentMaskId: id, maskStatus: status },
          });
          if (claimed.count === 0) return null;
          const created = await tx.mask.create({
            data: {
              id,
              imageId,
              datasetId: image.datasetId,
              version,
              authorId: viewer.user.id,
              source: 'ANNOTATED',
              status,
              contentHash,
              width: image.width,
              height: image.height,
              defectPixels,
            },
          });
          await files.commit(tx);
          if (submit) await emitMaskEvent(tx, 'MASK_SUBMITTED', id);
          return created;
        })
        .then((created) => created ?? conflict());
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') return conflict();
      throw error;
    }
    await this.publish(image.datasetId, { kind: MaskChangeKind.SAVED, maskId: mask.id });
    return mask;
  }

  /**
   * Approves or rejects a submitted version; the decision is recorded as a review. SELF_REVIEW_FORBIDDEN for
   * the reviewer's own mask unless the workspace allows self-review.
   */
  async review(viewer: Viewer, maskId: string, decision: ReviewDecision, comment: string): Promise<Mask> {
    checkId(maskId, 'Mask');
    const mask = await this.prisma.mask.findUnique({ where: { id: maskId } });
    if (!mask) throw new NotFoundError('Mask', maskId);
    // A mask needs a second pair of eyes unless the workspace says otherwise.
    if (mask.authorId === viewer.user.id && !(await this.allowsSelfReview())) {
      throw new SelfReviewForbiddenError(maskId);
    }
    const status = decision === 'APPROVE' ? 'APPROVED' : 'REJECTED';
    const reviewed = await this.prisma.$transaction(async (tx) => {
      const changed = await tx.mask.updateMany({ where: { id: maskId, status: 'SUBMITTED' }, data: { status } });
      if (changed.count === 0) return null;
      await tx.maskReview.create({ data: { maskId, reviewerId: viewer.user.id, decision, comment } });
      await tx.image.updateMany({ where: { id: mask.imageId, currentMaskId: maskId }, data: { maskStatus: status } });
      await emitMaskEvent(tx, `MASK_${status}`, maskId);
      return tx.mask.findUniqueOrThrow({ where: { id: maskId } });
    });
    if (!reviewed) {
      const current = await this.prisma.mask.findUniqueOrThrow({ where: { id: maskId } });
      throw new FailedPreconditionError(
        `mask version ${current.version} is ${current.status}: only SUBMITTED versions can be reviewed`,
        { status: current.status },
      );
    }
    await this.publish(mask.datasetId, { kind: MaskChangeKind.REVIEWED, maskId });
    return reviewed;
  }

  private publish(datasetId: string, event: MaskChangeEvent): Promise<void> {
    return this.events.publish(Topic.MASK_CHANGED, datasetId, event);
  }
}

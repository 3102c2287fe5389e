import { connectionType } from '../../graphql/connection';
import { namedEnum } from '../../graphql/enums';
import { Mask } from '../mask/mask.type';

export const ReviewOrder = namedEnum('ReviewOrder', 'Order of the masks waiting for review.', {
  OLDEST_FIRST: 'Submitted longest ago first (first in, first out).',
  NEWEST_FIRST: 'Most recently submitted first.',
});
export type ReviewOrder = keyof typeof ReviewOrder;

export const MaskConnection = connectionType('Mask', Mask, 'mask version');

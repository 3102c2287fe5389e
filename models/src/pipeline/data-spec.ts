import { resolve } from 'node:path';

import { CORRUPTION_VARIANTS, FASHION_MNIST_CLASSES, loadCorruptedFashionMnist, loadDataset } from '../datasets';
import type { CorruptionVariant, Dataset } from '../datasets';

/**
 * What `--data` names: a dataset folder (MVTec AD layout or plain folder), or the corrupted Fashion-MNIST
 * protocol written `fashion-mnist:<class>[:<variant>]`, e.g. `fashion-mnist:7`, `fashion-mnist:sneaker:patch`.
 */
export type DataSpec =
  { kind: 'folder'; path: string } | { kind: 'fashion-mnist'; normalClass: number; variant: CorruptionVariant };

export const FASHION_MNIST_PREFIX = 'fashion-mnist:';

/** Class names as `--data` accepts them: lower case, `T-shirt/top` -> `t-shirt`, `Ankle boot` -> `ankle-boot`. */
export const FASHION_MNIST_SLUGS: readonly string[] = FASHION_MNIST_CLASSES.map((name) =>
  name.split('/')[0]!.toLowerCase().replace(/\s+/g, '-'),
);

export class DataSpecError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'DataSpecError';
  }
}

export function parseDataSpec(text: string): DataSpec {
  if (text.trim() === '') throw new DataSpecError('the data is empty: give a dataset folder or fashion-mnist:<class>');
  if (!text.startsWith(FASHION_MNIST_PREFIX)) return { kind: 'folder', path: resolve(text) };

  const [classText = '', variantText, ...rest] = text.slice(FASHION_MNIST_PREFIX.length).split(':');
  const classes = FASHION_MNIST_SLUGS.map((slug, index) => `${index}=${slug}`).join(', ');
  if (rest.length > 0)
    throw new DataSpecError(`"${text}": expected fashion-mnist:<class>[:<variant>], got more parts than that`);
  const byIndex = /^\d$/.test(classText) ? Number(classText) : -1;
  const normalClass = byIndex >= 0 ? byIndex : FASHION_MNIST_SLUGS.indexOf(classText.toLowerCase());
  if (normalClass < 0) throw new DataSpecError(`"${text}": unknown Fashion-MNIST class "${classText}" (${classes})`);
  const variant = variantText ?? 'bright';
  if (!(CORRUPTION_VARIANTS as readonly string[]).includes(variant)) {
    throw new DataSpecError(
      `"${text}": unknown corruption variant "${variant}" (expected ${CORRUPTION_VARIANTS.join(' or ')})`,
    );
  }
  return { kind: 'fashion-mnist', normalClass, variant: variant as CorruptionVariant };
}

/** The canonical text of a spec: an absolute folder, or fashion-mnist:<slug>:<variant>. */
export function formatDataSpec(spec: DataSpec): string {
  if (spec.kind === 'folder') return spec.path;
  return `${FASHION_MNIST_PREFIX}${FASHION_MNIST_SLUGS[spec.normalClass]}:${spec.variant}`;
}

/** Loads the dataset a spec names; the Fashion-MNIST protocol uses its defaults (all training images, 500 + 500 test). */
export async function loadDataSpec(spec: DataSpec): Promise<Dataset> {
  if (spec.kind === 'folder') return loadDataset(spec.path);
  return loadCorruptedFashionMnist({ normalClass: spec.normalClass, variant: spec.variant });
}

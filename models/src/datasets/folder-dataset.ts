import { mapWithLimit, DECODE_CONCURRENCY } from './concurrency';
import { compareNames } from './files';
import { readImageInfo } from './image-io';
import { DatasetError, NORMAL_DEFECT_TYPE } from './types';
import type { ChannelCount, Dataset, DatasetLayout, DatasetSample, SampleLabel, Split } from './types';

/** One image found by a folder reader, before its header has been read. */
export interface FolderEntry {
  id: string;
  split: Split;
  label: SampleLabel;
  defectType: string;
  path: string;
  maskPath?: string;
}

export interface FolderDatasetInfo {
  name: string;
  layout: DatasetLayout;
  category: string;
  root: string;
  warnings: string[];
}

/**
 * Reads every image's header (size, colour) and every mask's header, and checks what a reader cannot see
 * from names alone: masks must match their image's size, and ids must be unique.
 */
export async function buildFolderDataset(entries: readonly FolderEntry[], info: FolderDatasetInfo): Promise<Dataset> {
  const seen = new Map<string, string>();
  for (const entry of entries) {
    const other = seen.get(entry.id);
    if (other !== undefined)
      throw new DatasetError(`two images share the id "${entry.id}": ${other} and ${entry.path}`, entry.path);
    seen.set(entry.id, entry.path);
  }

  const samples = await mapWithLimit(entries, DECODE_CONCURRENCY, async (entry): Promise<DatasetSample> => {
    const image = await readImageInfo({ kind: 'file', path: entry.path });
    const sample: DatasetSample = {
      id: entry.id,
      split: entry.split,
      label: entry.label,
      defectType: entry.defectType,
      source: { kind: 'file', path: entry.path },
      width: image.width,
      height: image.height,
      channels: image.channels,
    };
    if (entry.maskPath !== undefined) {
      const mask = await readImageInfo({ kind: 'file', path: entry.maskPath });
      if (mask.width !== image.width || mask.height !== image.height) {
        throw new DatasetError(
          `mask is ${mask.width} x ${mask.height} but its image ${entry.path} is ${image.width} x ${image.height}`,
          entry.maskPath,
        );
      }
      sample.mask = { kind: 'file', path: entry.maskPath };
    }
    return sample;
  });

  return finishDataset(samples, { ...info });
}

/** Fills in what every dataset derives from its samples: defect types, default channels, mixed-colour warning. */
export function finishDataset(
  samples: DatasetSample[],
  info: { name: string; layout: DatasetLayout; category: string; root: string | null; warnings: string[] },
): Dataset {
  const warnings = [...info.warnings];
  const gray = samples.filter((sample) => sample.channels === 1).length;
  const colour = samples.length - gray;
  if (gray > 0 && colour > 0) {
    warnings.push(
      `mixed channel counts: ${gray} grayscale and ${colour} colour images; all are converted to the model's channel count`,
    );
  }
  const channels: ChannelCount = colour > 0 ? 3 : 1;
  const defectTypes = [
    ...new Set(samples.filter((sample) => sample.label === 'anomalous').map((sample) => sample.defectType)),
  ].sort(compareNames);
  if (defectTypes.includes(NORMAL_DEFECT_TYPE)) {
    throw new DatasetError(
      `anomalous samples may not use the defect type "${NORMAL_DEFECT_TYPE}"`,
      info.root ?? info.name,
    );
  }
  return {
    name: info.name,
    layout: info.layout,
    category: info.category,
    root: info.root,
    samples,
    defectTypes,
    channels,
    warnings,
  };
}

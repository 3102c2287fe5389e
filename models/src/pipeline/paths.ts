import { join, resolve } from 'node:path';

/** Where a run keeps everything under its output folder (a data folder, never in git). */
export interface OutputPaths {
  root: string;
  /** The run's resolved config; explain, evaluate and --resume read it back. */
  config: string;
  checkpointDir: string;
  /** Weights and training state, rewritten after every epoch and on cancel. */
  checkpoint: string;
  /** Time and losses of the training so far (summed over resumed runs). */
  trainRecord: string;
  /** Maps, reconstructions and scores of the test set at model resolution, for evaluate and the report. */
  explainDir: string;
  /** The attention maps at each image's own resolution as float TIFF: maps/<category>/test/<defect>/<name>.tiff. */
  mapsDir: string;
  figuresDir: string;
  reportJson: string;
  reportMarkdown: string;
  /** ROC and PRO curves of every map type, overall and per defect. */
  curves: string;
}

export function outputPaths(out: string): OutputPaths {
  const root = resolve(out);
  const checkpointDir = join(root, 'checkpoints');
  return {
    root,
    config: join(root, 'config.json'),
    checkpointDir,
    checkpoint: join(checkpointDir, 'model.pt'),
    trainRecord: join(checkpointDir, 'train.json'),
    explainDir: join(root, 'explain'),
    mapsDir: join(root, 'maps'),
    figuresDir: join(root, 'figures'),
    reportJson: join(root, 'report.json'),
    reportMarkdown: join(root, 'report.md'),
    curves: join(root, 'curves.json'),
  };
}

/** A path segment from a name that may hold separators (Fashion-MNIST's `T-shirt/top`). */
export function safeSegment(name: string): string {
  const cleaned = name.replace(/[/\\]/g, '-').replace(/^\.+$/, '_');
  return cleaned === '' ? '_' : cleaned;
}

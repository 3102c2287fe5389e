import { OPTION_NAMES, optionSpec } from '../options';
import type { OptionName, OptionSpec } from '../options';
import { FASHION_MNIST_SLUGS } from '../pipeline/data-spec';
import { PRESETS } from '../presets';
import type { CommandName } from './args';
import { COMMAND_FLAGS } from './args';

const COLUMN = 27;
const INDENT = ' '.repeat(COLUMN);

/** Wraps a description at 116 columns under the help's value column. */
function wrap(text: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + word.length + 1 > 116 - COLUMN) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines.join(`\n${INDENT}`);
}

/** A preset's value reads as its own description (sizes, depth, steps), the others as the schema says. */
function describeValue(spec: OptionSpec & { valueDescriptions: object }, value: string): string {
  const preset = spec === optionSpec('preset') ? PRESETS[value as keyof typeof PRESETS] : undefined;
  return preset?.description ?? (spec.valueDescriptions as Record<string, string>)[value]!;
}

function allowed(spec: OptionSpec): string {
  switch (spec.type) {
    case 'integer':
    case 'number':
      return ` (${spec.min}-${spec.max})`;
    case 'choice':
    case 'choice-list':
      return `: ${spec.values.map((value) => `${value} (${describeValue(spec, value)})`).join(', ')}`;
    case 'layer':
      return `: ${spec.patternText}`;
    case 'boolean':
      return ': true, false';
  }
}

function optionHelp(name: OptionName): string {
  const spec = optionSpec(name);
  const head = `--${spec.flag} <${spec.placeholder}>`.padEnd(COLUMN - 3);
  return `${head} ${wrap(`${spec.description}${allowed(spec).replace(/^:/, ' Values:')}`)}`;
}

const COMMAND_ONLY_HELP: Readonly<Record<string, string>> = {
  data:
    '--data <source>          a dataset folder (MVTec AD layout: train/good, test/<defect>, ground_truth/<defect>;\n' +
    '                           or a plain folder: normal/, anomalous/, masks/), or the corrupted Fashion-MNIST\n' +
    '                           protocol: fashion-mnist:<class>[:<variant>], e.g. fashion-mnist:7,\n' +
    '                           fashion-mnist:sneaker:patch (class 0-9 or a name below; variant bright (default)\n' +
    '                           or patch). Explain and evaluate default to the data the run was trained on.',
  out: '--out <dir>              the run folder: config.json, checkpoints/, explain/, maps/, report.json, report.md',
  resume:
    '--resume                 continue the run in --out from its checkpoint, with its recorded config\n' +
    '                           (--epochs may raise the total). Ctrl-C during training keeps the checkpoint.',
  help: '-h, --help               this help',
};

function flagHelp(flag: string): string {
  const option = OPTION_NAMES.find((name) => optionSpec(name).flag === flag);
  return option === undefined ? COMMAND_ONLY_HELP[flag]! : optionHelp(option);
}

const COMMAND_SUMMARY: Readonly<Record<CommandName, string>> = {
  run: 'train, explain and evaluate in one go, then write the report',
  train: 'train a model on the normal training images',
  explain: 'compute the maps of every test image with the trained model in --out',
  evaluate: 'compute the metrics of the explained maps in --out and write the report',
};

export function generalHelp(): string {
  return [
    'vad: interpretable visual anomaly detection (U-Net reconstruction + Grad-CAM attention)',
    '',
    'Usage:',
    '  vad run      --data <source> --out <dir> [options]',
    '  vad train    --data <source> --out <dir> [options]',
    '  vad explain  --out <dir> [--map-layer, --map-sign, --map-targets, --smoothing, --score, --device]',
    '  vad evaluate --out <dir>',
    '  vad sweep    --data <source> --grid <file> --out <dir> [--budget-minutes <m>] [--sort <metric>]',
    '  vad predict  --model <run dir> --data <folder> [--out <folder>] [--device <device>]',
    '  vad <command> --help',
    '',
    'Commands:',
    ...Object.entries(COMMAND_SUMMARY).map(([name, summary]) => `  ${name.padEnd(9)} ${summary}`),
    '  sweep     measure a grid of configurations on a selection and a report half (vad sweep --help)',
    "  predict   score every image of a folder with a finished run's model: scores.csv and every map as TIFF,",
    '            .npy and PNG (vad predict --help)',
    '',
    'Options:',
    ...COMMAND_FLAGS.run.map((flag) => `  ${flagHelp(flag)}`),
    '',
    `Fashion-MNIST classes: ${FASHION_MNIST_SLUGS.map((slug, i) => `${i}=${slug}`).join(', ')}`,
    "(the IDX files come from Debian's dataset-fashion-mnist package: /usr/share/datasets/fashion-mnist).",
    '',
    'Outputs in --out: report.json and report.md (metrics of the attention, residual and SSIM maps, overall and',
    'per defect type), figures/*.png (ROC and PRO curves, highest- and lowest-scoring images), curves.json,',
    'maps/<category>/test/<defect>/<name>.tiff (attention maps as float32 TIFF, MVTec AD evaluation layout).',
    '',
    'Examples:',
    '  npx vad run --data ../shared/data/magnetic-tile --out runs/magnetic-tile --device cpu',
    '  npx vad run --data fashion-mnist:sneaker --out runs/sneaker',
    '  npx vad train --data ../shared/data/magnetic-tile --out runs/mt --epochs 5 && npx vad explain --out runs/mt',
    '',
    'Exit codes: 0 done, 1 failed, 2 bad arguments (or data the readers reject), 130 cancelled (Ctrl-C).',
  ].join('\n');
}

export function commandHelp(command: CommandName): string {
  const usage =
    command === 'run' || command === 'train'
      ? `vad ${command} --data <source> --out <dir> [options]`
      : `vad ${command} --out <dir> [options]`;
  return [
    `vad ${command}: ${COMMAND_SUMMARY[command]}`,
    '',
    `Usage: ${usage}`,
    '',
    'Options:',
    ...COMMAND_FLAGS[command].map((flag) => `  ${flagHelp(flag)}`),
  ].join('\n');
}

import { PRESETS } from '../presets';
import { FASHION_MNIST_SLUGS } from '../pipeline/data-spec';
import type { CommandName, FlagName } from './args';
import { COMMAND_FLAGS } from './args';

const FLAG_HELP: Readonly<Record<FlagName, string>> = {
  data:
    '--data <source>          a dataset folder (MVTec AD layout: train/good, test/<defect>, ground_truth/<defect>;\n' +
    '                           or a plain folder: normal/, anomalous/, masks/), or the corrupted Fashion-MNIST\n' +
    '                           protocol: fashion-mnist:<class>[:<variant>], e.g. fashion-mnist:7,\n' +
    '                           fashion-mnist:sneaker:patch (class 0-9 or a name below; variant bright (default)\n' +
    '                           or patch). Explain and evaluate default to the data the run was trained on.',
  out: '--out <dir>              the run folder: config.json, checkpoints/, explain/, maps/, report.json, report.md',
  preset: `--preset <name>          ${Object.values(PRESETS)
    .map((preset) => `${preset.name} (${preset.description})`)
    .join(';\n                           ')}.\n                           Default: small without a GPU, base with one`,
  size:
    "--size <px>              model input size (square; a multiple of 2^depth, 32-1024). Default: the preset's,\n" +
    '                           or the next valid size above the images when they are smaller (28 px -> 32)',
  epochs: "--epochs <n>             training epochs. Default: the preset's, capped by its step budget",
  batch: '--batch <n>              batch size (>= 2)',
  loss: '--loss <name>            reconstruction loss: mse, l1, ssim, ssim_mse',
  layer: '--layer <name>           encoder layer of the attention map: enc1..enc<depth>, bottleneck',
  'attention-weight': '--attention-weight <w>   weight of the training-time attention term (0 turns it off)',
  'attention-sign': '--attention-sign <s>     what Grad-CAM keeps of sum_c w_c A_c: relu, neg_relu, abs',
  'attention-targets':
    '--attention-targets <t>  comma-separated Grad-CAM targets: loss, latent, residual. The first gives the\n' +
    '                           `attention` map, the others `attention-<target>` maps. Default: loss',
  smoothing:
    '--smoothing <f>          Gaussian smoothing of every map, sigma as a fraction of the image side\n' +
    "                           (0.03125 = 4 px at 128 px; 0 = none). Default: the preset's",
  score: '--score <kind>           image score from a map: max, or top1 (mean of its top 1 % of pixels)',
  device: '--device <d>             auto (CUDA if LibTorch sees a GPU), cpu or cuda. Default: auto',
  seed: '--seed <n>               seed of weights, shuffling and flips. Default: 0',
  resume:
    '--resume                 continue the run in --out from its checkpoint, with its recorded config\n' +
    '                           (--epochs may raise the total). Ctrl-C during training keeps the checkpoint.',
  help: '-h, --help               this help',
};

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
    '  vad explain  --out <dir> [--layer, --attention-sign, --attention-targets, --smoothing, --score, --device]',
    '  vad evaluate --out <dir>',
    '  vad sweep    --data <source> --grid <file> --out <dir> [--budget-minutes <m>] [--sort <metric>]',
    '  vad <command> --help',
    '',
    'Commands:',
    ...Object.entries(COMMAND_SUMMARY).map(([name, summary]) => `  ${name.padEnd(9)} ${summary}`),
    '  sweep     measure a grid of configurations on a selection and a report half (vad sweep --help)',
    '',
    'Options:',
    ...COMMAND_FLAGS.run.map((flag) => `  ${FLAG_HELP[flag]}`),
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
    ...COMMAND_FLAGS[command].map((flag) => `  ${FLAG_HELP[flag]}`),
  ].join('\n');
}

/**
 * Exact anomaly-detection metrics, computed natively on a worker thread (every function returns a Promise, and
 * every error, bad arguments included, arrives as its rejection).
 *
 * Scores are Float32Array, like the maps they come from; a higher score means more anomalous. Every threshold
 * reads "anomalous iff score >= threshold", and tied scores act as one threshold, as in scikit-learn. The sweeps
 * are exact (no binning): one sort of all scores, then one pass over the distinct ones.
 *
 * Pixel metrics take one {@link ScoreMap} and one {@link GroundTruthMask} per image, each image at its own
 * resolution, and pool the pixels of all images.
 *
 * Errors: TypeError for a value of the wrong type; RangeError for empty input, mismatched counts or sizes
 * (naming the image), a non-finite score (naming the index or pixel), a label other than 0/1, or an option out
 * of range; a plain Error when the metric is undefined because only one class is present (every label normal,
 * every mask empty, every pixel anomalous...).
 */
import { loadAddon } from './addon';

/** An anomaly map, row-major: `data[y * width + x]`, `data.length === width * height`. */
export interface ScoreMap {
  data: Float32Array;
  width: number;
  height: number;
}

/** The ground truth of one image, row-major like its map: nonzero = anomalous (0/1 and 0/255 masks both work). */
export interface GroundTruthMask {
  data: Uint8Array;
  width: number;
  height: number;
}

/**
 * Points from the highest threshold down, starting at (0, 0) with threshold +Infinity (nothing called
 * anomalous); `thresholds[i]` is the score whose sweep point is (`fpr[i]`, `tpr[i]`).
 */
export interface RocCurve {
  fpr: Float64Array;
  tpr: Float64Array;
  thresholds: Float64Array;
}

/** Like {@link RocCurve}, with the per-region overlap (PRO) instead of the true positive rate. */
export interface ProCurve {
  fpr: Float64Array;
  pro: Float64Array;
  thresholds: Float64Array;
}

export interface AurocResult {
  auroc: number;
  /**
   * The points of scikit-learn's `roc_curve` (collinear runs of equal steps drawn by their ends); beyond
   * `maxCurvePoints`, thinned to at most that many, evenly along the curve. The AUROC is always exact.
   */
  curve: RocCurve;
}

export interface AuproResult {
  /** Area under the PRO curve from FPR 0 to `maxFpr`, divided by `maxFpr` (1 is perfect). */
  aupro: number;
  maxFpr: number;
  /** The whole curve (not cut at `maxFpr`), thinned beyond `maxCurvePoints`. */
  curve: ProCurve;
}

export interface F1MaxResult {
  /** The best F1 = 2 TP / (2 TP + FP + FN) over all thresholds. */
  f1: number;
  /** The score that gives it; of equal peaks, the highest. */
  threshold: number;
  precision: number;
  recall: number;
}

export interface BestIouResult {
  /** The best pooled IoU = TP / (TP + FP + FN) over all thresholds. */
  iou: number;
  /** The score that gives it; of equal peaks, the highest. */
  threshold: number;
}

export interface PixelEvaluation {
  auroc: AurocResult;
  aupro: AuproResult;
  f1Max: F1MaxResult;
  bestIou: BestIouResult;
}

export interface CurveOptions {
  /** The most points a returned curve may have (>= 2); default {@link DEFAULT_MAX_CURVE_POINTS}. */
  maxCurvePoints?: number;
}

export interface AuproOptions extends CurveOptions {
  /** The FPR up to which the PRO curve is integrated, in (0, 1]; default {@link DEFAULT_MAX_FPR}. */
  maxFpr?: number;
}

/** MVTec AD's integration limit. */
export const DEFAULT_MAX_FPR = 0.3;
/** Enough for any plot; a pixel sweep can otherwise have one point per distinct score (millions). */
export const DEFAULT_MAX_CURVE_POINTS = 10_000;

interface NativePixelRequest {
  auroc: boolean;
  aupro: boolean;
  f1Max: boolean;
  bestIou: boolean;
  maxFpr: number;
  maxCurvePoints: number;
}

interface NativeMetrics {
  imageRoc(scores: Float32Array, labels: Uint8Array, maxCurvePoints: number): Promise<AurocResult>;
  imageF1Max(scores: Float32Array, labels: Uint8Array): Promise<F1MaxResult>;
  pixelMetrics(
    maps: readonly ScoreMap[],
    masks: readonly GroundTruthMask[],
    request: NativePixelRequest,
  ): Promise<Partial<PixelEvaluation>>;
}

function native(): NativeMetrics {
  const metrics = loadAddon().metrics as NativeMetrics | undefined;
  if (!metrics) throw new Error('native addon has no metrics: rebuild it with npm run build -w native');
  return metrics;
}

async function pixelMetrics(
  maps: readonly ScoreMap[],
  masks: readonly GroundTruthMask[],
  requested: Partial<Record<keyof PixelEvaluation, boolean>>,
  options: AuproOptions,
): Promise<Partial<PixelEvaluation>> {
  return native().pixelMetrics(maps, masks, {
    auroc: requested.auroc ?? false,
    aupro: requested.aupro ?? false,
    f1Max: requested.f1Max ?? false,
    bestIou: requested.bestIou ?? false,
    maxFpr: options.maxFpr ?? DEFAULT_MAX_FPR,
    maxCurvePoints: options.maxCurvePoints ?? DEFAULT_MAX_CURVE_POINTS,
  });
}

function present<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`native pixelMetrics returned no ${name}`);
  return value;
}

/**
 * Image AUROC (exactly scikit-learn's `roc_auc_score`) and the ROC curve.
 * @param scores one score per image.
 * @param labels one per image: 0 normal, 1 anomalous (anything else is a RangeError).
 */
export async function imageAuroc(
  scores: Float32Array,
  labels: Uint8Array,
  options: CurveOptions = {},
): Promise<AurocResult> {
  return native().imageRoc(scores, labels, options.maxCurvePoints ?? DEFAULT_MAX_CURVE_POINTS);
}

/** Image-level F1-max and its threshold; `scores` and `labels` as for {@link imageAuroc}. */
export async function f1Max(scores: Float32Array, labels: Uint8Array): Promise<F1MaxResult> {
  return native().imageF1Max(scores, labels);
}

/** Pixel AUROC over the pooled pixels of all images, and its ROC curve. */
export async function pixelAuroc(
  maps: readonly ScoreMap[],
  masks: readonly GroundTruthMask[],
  options: CurveOptions = {},
): Promise<AurocResult> {
  return present((await pixelMetrics(maps, masks, { auroc: true }, options)).auroc, 'auroc');
}

/**
 * AUPRO as MVTec AD's evaluation computes it: ground-truth regions are the 8-connected components of each mask;
 * PRO at a threshold is the mean over all regions of all images of the fraction of each region's pixels at or
 * above it, FPR the fraction of all normal pixels at or above it; the curve is integrated with the trapezoid
 * rule up to `maxFpr` (interpolating the point at exactly `maxFpr`) and divided by `maxFpr`.
 */
export async function aupro(
  maps: readonly ScoreMap[],
  masks: readonly GroundTruthMask[],
  options: AuproOptions = {},
): Promise<AuproResult> {
  return present((await pixelMetrics(maps, masks, { aupro: true }, options)).aupro, 'aupro');
}

/** Pixel-level F1-max over the pooled pixels, and its threshold. */
export async function pixelF1Max(maps: readonly ScoreMap[], masks: readonly GroundTruthMask[]): Promise<F1MaxResult> {
  return present((await pixelMetrics(maps, masks, { f1Max: true }, {})).f1Max, 'f1Max');
}

/** The best IoU of the pooled pixels over all thresholds, and its threshold. */
export async function bestIou(maps: readonly ScoreMap[], masks: readonly GroundTruthMask[]): Promise<BestIouResult> {
  return present((await pixelMetrics(maps, masks, { bestIou: true }, {})).bestIou, 'bestIou');
}

/**
 * Every pixel metric at once, from a single copy and sort of the pixels: cheaper than the four calls when the
 * maps are large. An undefined metric (one class only) rejects the whole call.
 */
export async function evaluatePixels(
  maps: readonly ScoreMap[],
  masks: readonly GroundTruthMask[],
  options: AuproOptions = {},
): Promise<PixelEvaluation> {
  const result = await pixelMetrics(maps, masks, { auroc: true, aupro: true, f1Max: true, bestIou: true }, options);
  return {
    auroc: present(result.auroc, 'auroc'),
    aupro: present(result.aupro, 'aupro'),
    f1Max: present(result.f1Max, 'f1Max'),
    bestIou: present(result.bestIou, 'bestIou'),
  };
}

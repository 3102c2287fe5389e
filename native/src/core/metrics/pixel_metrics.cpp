#include "core/metrics/pixel_metrics.h"

#include <string>

#include "core/errors.h"
#include "core/metrics/sweep.h"

namespace vad::metrics {
namespace {

// The name an "undefined" error gives: the metric itself when only one was asked for.
std::string MetricName(const PixelMetricsRequest& request) {
  const int requested = request.auroc + request.aupro + request.f1_max + request.best_iou;
  if (requested > 1) return "pixel evaluation";
  if (request.auroc) return "pixel AUROC";
  if (request.aupro) return "AUPRO";
  if (request.f1_max) return "pixel F1-max";
  return "best IoU";
}

}  // namespace

PixelMetrics EvaluatePixels(const std::vector<ScoreMap>& maps, const std::vector<GroundTruthMask>& masks,
                            const PixelMetricsRequest& request) {
  if (!request.auroc && !request.aupro && !request.f1_max && !request.best_iou) {
    throw vad::RangeError("no pixel metric requested");
  }
  ValidatePixelInputs(maps, masks);
  ValidateMaxCurvePoints(request.max_curve_points);
  if (request.aupro) ValidateMaxFpr(request.max_fpr);

  const SortedScores sorted = SortPixelScores(maps, masks, request.aupro);
  RequireBothClasses(sorted, MetricName(request), "pixel");

  std::optional<RocAccumulator> roc;
  std::optional<ProAccumulator> pro;
  std::optional<F1MaxAccumulator> f1_max;
  std::optional<BestIouAccumulator> best_iou;
  if (request.auroc) roc.emplace(sorted);
  if (request.aupro) pro.emplace(sorted, request.max_fpr);
  if (request.f1_max) f1_max.emplace(sorted);
  if (request.best_iou) best_iou.emplace(sorted);
  SweepThresholds(sorted, [&](const SweepPoint& point) {
    if (roc) roc->Add(point);
    if (pro) pro->Add(point);
    if (f1_max) f1_max->Add(point);
    if (best_iou) best_iou->Add(point);
  });

  // The curves need their point counts (known only now) to be thinned: a second, cheap sweep.
  std::optional<RocCurveRecorder> roc_curve;
  std::optional<ProCurveRecorder> pro_curve;
  if (roc) roc_curve.emplace(sorted, request.max_curve_points, roc->CurvePointCount());
  if (pro) pro_curve.emplace(sorted, request.max_curve_points, pro->CurvePointCount());
  SweepThresholds(sorted, [&](const SweepPoint& point) {
    if (roc_curve) roc_curve->Add(point);
    if (pro_curve) pro_curve->Add(point);
  });

  PixelMetrics result;
  if (roc) result.roc = RocResult{roc->Auroc(), roc_curve->Finish()};
  if (pro) result.pro = ProResult{pro->Aupro(), request.max_fpr, pro_curve->Finish()};
  if (f1_max) result.f1_max = f1_max->Result();
  if (best_iou) result.best_iou = best_iou->Result();
  return result;
}

}  // namespace vad::metrics

#include "core/metrics/pixel_metrics.h"

#include <string>

#include "core/errors.h"
#include "core/metrics/sweep.h"

namespace vad::metrics {
namespace {

// The name an "undefined" error gives: the metric itself when only one was asked for.
std::string MetricName(const PixelMetricsRequest& request) {
  const int requested = request.auroc + request.aupro + request.f1Max + request.bestIou;
  if (requested > 1) return "pixel evaluation";
  if (request.auroc) return "pixel AUROC";
  if (request.aupro) return "AUPRO";
  if (request.f1Max) return "pixel F1-max";
  return "best IoU";
}

}  // namespace

PixelMetrics EvaluatePixels(const std::vector<ScoreMap>& maps, const std::vector<GroundTruthMask>& masks,
                            const PixelMetricsRequest& request) {
  if (!request.auroc && !request.aupro && !request.f1Max && !request.bestIou) {
    throw vad::RangeError("no pixel metric requested");
  }
  ValidatePixelInputs(maps, masks);
  ValidateMaxCurvePoints(request.maxCurvePoints);
  if (request.aupro) ValidateMaxFpr(request.maxFpr);

  const SortedScores sorted = SortPixelScores(maps, masks, request.aupro);
  RequireBothClasses(sorted, MetricName(request), "pixel");

  std::optional<RocAccumulator> roc;
  std::optional<ProAccumulator> pro;
  std::optional<F1MaxAccumulator> f1Max;
  std::optional<BestIouAccumulator> bestIou;
  if (request.auroc) roc.emplace(sorted);
  if (request.aupro) pro.emplace(sorted, request.maxFpr);
  if (request.f1Max) f1Max.emplace(sorted);
  if (request.bestIou) bestIou.emplace(sorted);
  SweepThresholds(sorted, [&](const SweepPoint& point) {
    if (roc) roc->Add(point);
    if (pro) pro->Add(point);
    if (f1Max) f1Max->Add(point);
    if (bestIou) bestIou->Add(point);
  });

  // The curves need their point counts (known only now) to be thinned: a second, cheap sweep.
  std::optional<RocCurveRecorder> rocCurve;
  std::optional<ProCurveRecorder> proCurve;
  if (roc) rocCurve.emplace(sorted, request.maxCurvePoints, roc->CurvePointCount());
  if (pro) proCurve.emplace(sorted, request.maxCurvePoints, pro->CurvePointCount());
  SweepThresholds(sorted, [&](const SweepPoint& point) {
    if (rocCurve) rocCurve->Add(point);
    if (proCurve) proCurve->Add(point);
  });

  PixelMetrics result;
  if (roc) result.roc = RocResult{roc->Auroc(), rocCurve->Finish()};
  if (pro) result.pro = ProResult{pro->Aupro(), request.maxFpr, proCurve->Finish()};
  if (f1Max) result.f1Max = f1Max->Result();
  if (bestIou) result.bestIou = bestIou->Result();
  return result;
}

}  // namespace vad::metrics

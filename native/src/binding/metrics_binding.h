#pragma once
#include <napi.h>

namespace vad::binding {

// Sets exports.metrics: imageRoc, imageF1Max and pixelMetrics, each returning a Promise settled on a worker
// thread (pixel metrics read millions of pixels; the image ones are async too, so every metric reads the same).
// lib/metrics.ts is the typed front for them.
void InitMetrics(Napi::Env env, Napi::Object exports);

}  // namespace vad::binding

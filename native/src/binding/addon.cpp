// Module entry: each concern registers its own exports.
#include <napi.h>

#include "binding/metrics_binding.h"
#include "binding/model_binding.h"

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  vad::binding::InitModel(env, exports);
  vad::binding::InitMetrics(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(vad_native, Init)

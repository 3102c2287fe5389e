#include "binding/metrics_binding.h"

namespace vad::binding {

void InitMetrics(Napi::Env, Napi::Object) {}

}  // namespace vad::binding

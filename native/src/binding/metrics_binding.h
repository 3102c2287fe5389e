#pragma once
#include <napi.h>

namespace vad::binding {

void InitMetrics(Napi::Env env, Napi::Object exports);

}  // namespace vad::binding

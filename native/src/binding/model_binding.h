#pragma once
#include <napi.h>

namespace vad::binding {

void InitModel(Napi::Env env, Napi::Object exports);

}  // namespace vad::binding

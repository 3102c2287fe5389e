#include "binding/model_binding.h"

namespace vad::binding {

void InitModel(Napi::Env, Napi::Object) {}

}  // namespace vad::binding

#pragma once
// JS values <-> the model's plain structs (core/config.h, core/model.h), for model_binding. Readers reject
// unknown keys and wrong types with a vad::TypeError / vad::RangeError naming the field, so a typo never silently
// falls back to a default.
#include <napi.h>

#include <optional>

#include "core/config.h"
#include "core/model.h"

namespace vad::binding {

// { data: Uint8Array, shape: [N, C, H, W] }; the pixels are copied once, here, on the JS thread.
vad::Images ReadImages(const Napi::Value& value, const char* name);
vad::ModelConfig ReadModelConfig(const Napi::Value& value);
vad::TrainOptions ReadTrainOptions(const Napi::Value& value);
// name: how errors spell the object ("options.syntheticDefects").
vad::SyntheticDefectOptions ReadSyntheticDefectOptions(const Napi::Value& value, const std::string& name);
vad::ExplainOptions ReadExplainOptions(const Napi::Value& value);

Napi::Object ToJs(Napi::Env env, const vad::ModelConfig& config);
Napi::Object ToJs(Napi::Env env, const vad::TrainProgress& progress);
Napi::Value ToJs(Napi::Env env, const vad::TrainResult& result);
Napi::Value ToJs(Napi::Env env, const std::optional<vad::TrainStateInfo>& state);
// One object per image; each map kind's values share one ArrayBuffer across the images.
Napi::Value ToJs(Napi::Env env, const vad::ExplainOutput& output);

}  // namespace vad::binding

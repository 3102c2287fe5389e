#pragma once
// Computes maps, reconstructions and scores off the event loop.
#include <napi.h>

#include <optional>

#include "binding/errors.h"
#include "binding/model_binding.h"
#include "core/model.h"

namespace vad::binding {

class ExplainWorker : public Napi::AsyncWorker {
 public:
  static Napi::Promise Start(Napi::Env env, Napi::Object self, ModelWrap* wrap, vad::Images images,
                             vad::ExplainOptions options);

  void Execute() override;
  void OnOK() override;
  void OnError(const Napi::Error& error) override;

 private:
  ExplainWorker(Napi::Env env, Napi::Object self, ModelWrap* wrap, vad::Images images, vad::ExplainOptions options);

  Napi::Promise::Deferred deferred_;
  Napi::ObjectReference self_;  // keeps the JS model (and so the engine model) alive while we run
  ModelWrap* wrap_;
  vad::Images images_;
  vad::ExplainOptions options_;
  vad::ExplainOutput output_;
  std::optional<CapturedError> error_;
};

}  // namespace vad::binding

#pragma once
// Trains off the event loop and streams progress to a JS callback. Holds a persistent reference to the
// JS model object: without it, garbage collection could free the model in the middle of training.
#include <napi.h>

#include <atomic>
#include <memory>
#include <optional>

#include "binding/errors.h"
#include "binding/model_binding.h"
#include "core/model.h"

namespace vad::binding {

class TrainWorker : public Napi::AsyncProgressQueueWorker<vad::TrainProgress> {
 public:
  // on_progress may be undefined. Returns the promise of the run's TrainResult.
  static Napi::Promise Start(Napi::Env env, Napi::Object self, ModelWrap* wrap, vad::Images images,
                             vad::TrainOptions options, Napi::Value on_progress,
                             std::shared_ptr<std::atomic<bool>> cancel);

  void Execute(const ExecutionProgress& progress) override;
  void OnProgress(const vad::TrainProgress* data, size_t count) override;
  void OnOK() override;
  void OnError(const Napi::Error& error) override;

 private:
  TrainWorker(Napi::Env env, Napi::Object self, ModelWrap* wrap, vad::Images images, vad::TrainOptions options,
              Napi::Value on_progress, std::shared_ptr<std::atomic<bool>> cancel);

  Napi::Promise::Deferred deferred_;
  Napi::ObjectReference self_;
  ModelWrap* wrap_;
  vad::Images images_;
  vad::TrainOptions options_;
  Napi::FunctionReference on_progress_;
  std::shared_ptr<std::atomic<bool>> cancel_;
  vad::TrainResult result_;
  std::optional<CapturedError> error_;
  Napi::ObjectReference callback_error_;  // the first exception thrown by on_progress; it stops the run
};

}  // namespace vad::binding

#pragma once
// The AnomalyModel class of the addon: a JS object owning one engine model. One operation at a time
// per model (train, explain, save): the model's weights are not shared across threads.
#include <napi.h>

#include <atomic>
#include <memory>

#include "core/model.h"

namespace vad::binding {

class ModelWrap : public Napi::ObjectWrap<ModelWrap> {
 public:
  static Napi::Function Define(Napi::Env env);
  // new NativeModel(config) or, from load(), new NativeModel(External<AnomalyModel>).
  explicit ModelWrap(const Napi::CallbackInfo& info);

 private:
  static Napi::Value Load(const Napi::CallbackInfo& info);
  Napi::Value Config(const Napi::CallbackInfo& info);
  Napi::Value Layers(const Napi::CallbackInfo& info);
  Napi::Value ParameterCount(const Napi::CallbackInfo& info);
  Napi::Value TrainState(const Napi::CallbackInfo& info);
  Napi::Value Busy(const Napi::CallbackInfo& info);
  Napi::Value Save(const Napi::CallbackInfo& info);
  Napi::Value Train(const Napi::CallbackInfo& info);
  Napi::Value CancelTraining(const Napi::CallbackInfo& info);
  Napi::Value Explain(const Napi::CallbackInfo& info);

  // Throws a JS Error when another operation holds the model, else marks it held.
  void Acquire(Napi::Env env, const char* operation);
  // Starts a PromiseWorker (binding/promise_worker.h) on this held model.
  template <typename Worker>
  Napi::Promise Run(const Napi::CallbackInfo& info, const char* name, typename Worker::Task task);

  std::unique_ptr<vad::AnomalyModel> model_;
  bool busy_ = false;
  std::shared_ptr<std::atomic<bool>> cancel_;  // of the training in flight, if any
};

void InitModel(Napi::Env env, Napi::Object exports);

}  // namespace vad::binding

#include "binding/model_binding.h"

#include <cmath>

#include "binding/errors.h"
#include "binding/model_convert.h"
#include "binding/promise_worker.h"
#include "core/errors.h"

namespace vad::binding {

Napi::Function ModelWrap::Define(Napi::Env env) {
  return DefineClass(env, "NativeModel",
                     {
                         StaticMethod<&ModelWrap::Load>("load"),
                         InstanceAccessor<&ModelWrap::Config>("config"),
                         InstanceAccessor<&ModelWrap::Layers>("layers"),
                         InstanceAccessor<&ModelWrap::ParameterCount>("parameterCount"),
                         InstanceAccessor<&ModelWrap::TrainState>("trainState"),
                         InstanceAccessor<&ModelWrap::Busy>("busy"),
                         InstanceMethod<&ModelWrap::Save>("save"),
                         InstanceMethod<&ModelWrap::Train>("train"),
                         InstanceMethod<&ModelWrap::CancelTraining>("cancelTraining"),
                         InstanceMethod<&ModelWrap::Explain>("explain"),
                     });
}

ModelWrap::ModelWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<ModelWrap>(info) {
  Guard(info.Env(), [&] {
    if (info.Length() == 1 && info[0].IsExternal()) {
      // Ownership passes from load() to this object.
      model_.reset(info[0].As<Napi::External<vad::AnomalyModel>>().Data());
      return;
    }
    model_ = std::make_unique<vad::AnomalyModel>(ReadModelConfig(info[0]));
  });
}

Napi::Value ModelWrap::Load(const Napi::CallbackInfo& info) {
  return Guard(info.Env(), [&]() -> Napi::Value {
    if (!info[0].IsString()) throw vad::TypeError("load(path): path must be a string");
    auto model = std::make_unique<vad::AnomalyModel>(vad::AnomalyModel::Load(info[0].As<Napi::String>().Utf8Value()));
    // Called as NativeModel.load(path), so `this` is the class itself.
    if (!info.This().IsFunction()) throw vad::TypeError("load must be called as NativeModel.load(path)");
    auto external = Napi::External<vad::AnomalyModel>::New(info.Env(), model.release());
    return info.This().As<Napi::Function>().New({external});
  });
}

Napi::Value ModelWrap::Config(const Napi::CallbackInfo& info) { return ToJs(info.Env(), model_->config()); }

Napi::Value ModelWrap::Layers(const Napi::CallbackInfo& info) {
  const auto names = model_->layers();
  auto array = Napi::Array::New(info.Env(), names.size());
  for (size_t i = 0; i < names.size(); ++i) array.Set(static_cast<uint32_t>(i), names[i]);
  return array;
}

Napi::Value ModelWrap::ParameterCount(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(model_->parameter_count()));
}

Napi::Value ModelWrap::TrainState(const Napi::CallbackInfo& info) {
  if (busy_) return info.Env().Null();  // the worker thread is changing it
  return ToJs(info.Env(), model_->train_state());
}

Napi::Value ModelWrap::Busy(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), busy_); }

void ModelWrap::Acquire(Napi::Env env, const char* operation) {
  if (busy_) {
    throw Napi::Error::New(env, std::string("cannot ") + operation +
                                    ": this model is busy with a train() or explain() call that has not finished");
  }
  busy_ = true;
}

Napi::Value ModelWrap::Save(const Napi::CallbackInfo& info) {
  return Guard(info.Env(), [&]() -> Napi::Value {
    if (!info[0].IsString()) throw vad::TypeError("save(path): path must be a string");
    Acquire(info.Env(), "save");
    try {
      model_->Save(info[0].As<Napi::String>().Utf8Value());
    } catch (...) {
      busy_ = false;
      throw;
    }
    busy_ = false;
    return info.Env().Undefined();
  });
}

// Runs a task on this model: the JS object (and with it the engine model) is kept alive while it runs, and the
// model is free again once the promise settles.
template <typename Worker>
Napi::Promise ModelWrap::Run(const Napi::CallbackInfo& info, const char* name, typename Worker::Task task) {
  task.keep_alive = info.This().As<Napi::Object>();
  task.on_settle = [this] { busy_ = false; };
  return Worker::Start(info.Env(), name, std::move(task));
}

// train(images, options, onProgress?, cancelled?, validation?) -> Promise<TrainResult>; cancelled starts the
// run already cancelled (an AbortSignal aborted before the call), so not even one step runs.
Napi::Value ModelWrap::Train(const Napi::CallbackInfo& info) {
  return Guard(info.Env(), [&]() -> Napi::Value {
    using Worker = PromiseWorker<vad::TrainResult, vad::TrainProgress>;
    auto images = ReadImages(info[0], "images");
    auto options = ReadTrainOptions(info[1]);
    std::optional<vad::Images> validation;
    if (!info[4].IsUndefined()) validation = ReadImages(info[4], "options.validation");
    auto cancel = std::make_shared<std::atomic<bool>>(info[3].IsBoolean() && info[3].As<Napi::Boolean>().Value());
    Worker::Task task;
    task.work = [model = model_.get(), images = std::move(images), validation = std::move(validation),
                 options = std::move(options), cancel](const Worker::Report& report) {
      return model->Train(images, validation, options, report, *cancel);
    };
    task.to_js = ToJs;
    if (info[2].IsFunction()) {
      auto callback = std::make_shared<Napi::FunctionReference>(Napi::Persistent(info[2].As<Napi::Function>()));
      task.on_progress = [callback, cancel](Napi::Env env, const vad::TrainProgress& progress) {
        try {
          callback->Call({ToJs(env, progress)});
        } catch (...) {
          cancel->store(true);  // a throwing callback stops the run, and the promise rejects with its error
          throw;
        }
      };
    } else if (!info[2].IsUndefined()) {
      throw vad::TypeError("onProgress must be a function");
    }
    Acquire(info.Env(), "train");
    cancel_ = cancel;
    return Run<Worker>(info, "vad.train", std::move(task));
  });
}

// Sets the flag the training loop polls before every step; a no-op when nothing is training.
Napi::Value ModelWrap::CancelTraining(const Napi::CallbackInfo& info) {
  if (cancel_) cancel_->store(true);
  return info.Env().Undefined();
}

// explain(images, options?) -> Promise<ExplainResult[]>
Napi::Value ModelWrap::Explain(const Napi::CallbackInfo& info) {
  return Guard(info.Env(), [&]() -> Napi::Value {
    using Worker = PromiseWorker<vad::ExplainOutput>;
    auto images = ReadImages(info[0], "images");
    auto options = ReadExplainOptions(info[1]);
    Worker::Task task;
    task.work = [model = model_.get(), images = std::move(images),
                 options = std::move(options)](const Worker::Report&) { return model->Explain(images, options); };
    task.to_js = ToJs;
    Acquire(info.Env(), "explain");
    return Run<Worker>(info, "vad.explain", std::move(task));
  });
}

namespace {

// ssim(a, b) -> Float64Array: mean SSIM of each image pair.
Napi::Value Ssim(const Napi::CallbackInfo& info) {
  return Guard(info.Env(), [&]() -> Napi::Value {
    const auto values = vad::MeanSsim(ReadImages(info[0], "a"), ReadImages(info[1], "b"));
    auto array = Napi::Float64Array::New(info.Env(), values.size());
    std::copy(values.begin(), values.end(), array.Data());
    return array;
  });
}

// synthesizeDefects(images, options, seed) -> { images: Uint8Array, masks: Uint8Array }, synchronous.
Napi::Value SynthesizeDefects(const Napi::CallbackInfo& info) {
  return Guard(info.Env(), [&]() -> Napi::Value {
    const auto images = ReadImages(info[0], "images");
    const auto options = ReadSyntheticDefectOptions(info[1], "options");
    if (!info[2].IsNumber() || info[2].As<Napi::Number>().DoubleValue() < 0 ||
        info[2].As<Napi::Number>().DoubleValue() != std::trunc(info[2].As<Napi::Number>().DoubleValue())) {
      throw vad::TypeError("seed must be an integer >= 0");
    }
    const auto out = vad::SynthesizeDefects(images, options, info[2].As<Napi::Number>().Int64Value());
    auto bytes = [&](const std::vector<uint8_t>& values) {
      auto array = Napi::Uint8Array::New(info.Env(), values.size());
      std::copy(values.begin(), values.end(), array.Data());
      return array;
    };
    auto result = Napi::Object::New(info.Env());
    result.Set("images", bytes(out.images));
    result.Set("masks", bytes(out.masks));
    return result;
  });
}

Napi::Value RuntimeInfo(const Napi::CallbackInfo& info) {
  return Guard(info.Env(), [&]() -> Napi::Value { return Napi::String::New(info.Env(), vad::DescribeRuntime()); });
}

}  // namespace

void InitModel(Napi::Env env, Napi::Object exports) {
  exports.Set("NativeModel", ModelWrap::Define(env));
  exports.Set("ssim", Napi::Function::New(env, Ssim, "ssim"));
  exports.Set("runtimeInfo", Napi::Function::New(env, RuntimeInfo, "runtimeInfo"));
  exports.Set("synthesizeDefects", Napi::Function::New(env, SynthesizeDefects, "synthesizeDefects"));
}

}  // namespace vad::binding

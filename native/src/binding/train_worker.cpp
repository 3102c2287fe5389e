#include "binding/train_worker.h"

#include "binding/convert.h"

namespace vad::binding {

Napi::Promise TrainWorker::Start(Napi::Env env, Napi::Object self, ModelWrap* wrap, vad::Images images,
                                 vad::TrainOptions options, Napi::Value on_progress,
                                 std::shared_ptr<std::atomic<bool>> cancel) {
  auto* worker =
      new TrainWorker(env, self, wrap, std::move(images), std::move(options), on_progress, std::move(cancel));
  auto promise = worker->deferred_.Promise();
  worker->Queue();  // the worker deletes itself after OnOK / OnError
  return promise;
}

TrainWorker::TrainWorker(Napi::Env env, Napi::Object self, ModelWrap* wrap, vad::Images images,
                         vad::TrainOptions options, Napi::Value on_progress, std::shared_ptr<std::atomic<bool>> cancel)
    : Napi::AsyncProgressQueueWorker<vad::TrainProgress>(env, "vad.train"),
      deferred_(Napi::Promise::Deferred::New(env)),
      self_(Napi::Persistent(self)),
      wrap_(wrap),
      images_(std::move(images)),
      options_(std::move(options)),
      cancel_(std::move(cancel)) {
  if (on_progress.IsFunction()) on_progress_ = Napi::Persistent(on_progress.As<Napi::Function>());
}

void TrainWorker::Execute(const ExecutionProgress& progress) {
  try {
    result_ = wrap_->model().Train(
        images_, options_, [&progress](const vad::TrainProgress& p) { progress.Send(&p, 1); }, *cancel_);
  } catch (...) {
    error_ = CaptureCurrentException();
    SetError(error_->message);
  }
}

void TrainWorker::OnProgress(const vad::TrainProgress* data, size_t count) {
  if (on_progress_.IsEmpty() || !callback_error_.IsEmpty()) return;
  Napi::HandleScope scope(Env());
  for (size_t i = 0; i < count; ++i) {
    try {
      on_progress_.Call({ToJs(Env(), data[i])});
    } catch (const Napi::Error& e) {
      // A throwing callback must not take the process down: stop training and reject with its error.
      callback_error_ = Napi::Persistent(e.Value());
      cancel_->store(true);
      return;
    }
  }
}

void TrainWorker::OnOK() {
  wrap_->Release();
  if (!callback_error_.IsEmpty()) {
    deferred_.Reject(callback_error_.Value());
    return;
  }
  deferred_.Resolve(ToJs(Env(), result_));
}

void TrainWorker::OnError(const Napi::Error&) {
  wrap_->Release();
  deferred_.Reject(ToJsError(Env(), error_.value_or(CapturedError{})).Value());
}

}  // namespace vad::binding

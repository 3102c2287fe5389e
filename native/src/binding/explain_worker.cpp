#include "binding/explain_worker.h"

#include "binding/convert.h"

namespace vad::binding {

Napi::Promise ExplainWorker::Start(Napi::Env env, Napi::Object self, ModelWrap* wrap, vad::Images images,
                                   vad::ExplainOptions options) {
  auto* worker = new ExplainWorker(env, self, wrap, std::move(images), std::move(options));
  auto promise = worker->deferred_.Promise();
  worker->Queue();
  return promise;
}

ExplainWorker::ExplainWorker(Napi::Env env, Napi::Object self, ModelWrap* wrap, vad::Images images,
                             vad::ExplainOptions options)
    : Napi::AsyncWorker(env, "vad.explain"),
      deferred_(Napi::Promise::Deferred::New(env)),
      self_(Napi::Persistent(self)),
      wrap_(wrap),
      images_(std::move(images)),
      options_(std::move(options)) {}

void ExplainWorker::Execute() {
  try {
    output_ = wrap_->model().Explain(images_, options_);
  } catch (...) {
    error_ = CaptureCurrentException();
    SetError(error_->message);
  }
}

void ExplainWorker::OnOK() {
  wrap_->Release();
  try {
    deferred_.Resolve(ToJs(Env(), output_));
  } catch (const Napi::Error& e) {
    deferred_.Reject(e.Value());  // e.g. the results do not fit in memory
  }
}

void ExplainWorker::OnError(const Napi::Error&) {
  wrap_->Release();
  deferred_.Reject(ToJsError(Env(), error_.value_or(CapturedError{})).Value());
}

}  // namespace vad::binding

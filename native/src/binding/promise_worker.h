#pragma once
// The one way the addon runs work off the JS thread. A binding function first reads every JS value it needs
// into plain C++ values (on the JS thread, where a bad argument still throws synchronously), then starts a
// PromiseWorker whose work touches no JS value. The promise resolves with ToJs(result), or rejects with the JS
// error matching whatever C++ exception the work threw (errors.h): nothing thrown on a worker thread is lost or
// takes the process down. Work that reports progress names a Progress type; each report reaches on_progress
// on the JS thread, in order.
#include <napi.h>

#include <functional>
#include <utility>

#include "binding/errors.h"

namespace vad::binding {

struct NoProgress {};

template <typename Result, typename Progress = NoProgress>
class PromiseWorker : public Napi::AsyncProgressQueueWorker<Progress> {
 public:
  using Report = std::function<void(const Progress&)>;

  struct Task {
    // On a worker thread: plain C++ values only. May throw anything.
    std::function<Result(const Report& report)> work;
    // On the JS thread: the value the promise resolves with (a ToJs overload of model_convert.h or
    // metrics_convert.h).
    Napi::Value (*to_js)(Napi::Env env, const Result& result) = nullptr;
    // Optional, on the JS thread, once per report. A Napi::Error it throws rejects the promise with that error
    // and drops the later reports; it is up to on_progress to stop the work as well.
    std::function<void(Napi::Env env, const Progress& progress)> on_progress;
    // Optional, on the JS thread, just before the promise settles either way.
    std::function<void()> on_settle;
    // Optional: a JS object that must outlive the work, such as the one owning what `work` uses; garbage
    // collection could free it in the middle of the work otherwise.
    Napi::Object keep_alive;
  };

  static Napi::Promise Start(Napi::Env env, const char* name, Task task) {
    auto* worker = new PromiseWorker(env, name, std::move(task));  // deletes itself once the promise settled
    Napi::Promise promise = worker->deferred_.Promise();
    worker->Queue();
    return promise;
  }

 private:
  using Base = Napi::AsyncProgressQueueWorker<Progress>;

  PromiseWorker(Napi::Env env, const char* name, Task task)
      : Base(env, name), deferred_(Napi::Promise::Deferred::New(env)), task_(std::move(task)) {
    if (!task_.keep_alive.IsEmpty()) keep_alive_ = Napi::Persistent(task_.keep_alive);
    task_.keep_alive = Napi::Object();  // a handle of this call's scope: not to be used after it
  }

  void Execute(const typename Base::ExecutionProgress& progress) override {
    try {
      result_ = task_.work([&progress](const Progress& report) { progress.Send(&report, 1); });
    } catch (...) {
      error_ = CaptureCurrentException();
      // AsyncWorker takes an empty message for success.
      Base::SetError(error_.message.empty() ? "unknown native error" : error_.message);
    }
  }

  void OnProgress(const Progress* reports, size_t count) override {
    if (!task_.on_progress || !progress_error_.IsEmpty()) return;
    Napi::Env env = Base::Env();
    Napi::HandleScope scope(env);
    for (size_t i = 0; i < count; ++i) {
      try {
        task_.on_progress(env, reports[i]);
      } catch (...) {
        progress_error_ = Napi::Persistent(CurrentJsError(env).Value());
        return;
      }
    }
  }

  void OnOK() override {
    Napi::Env env = Base::Env();
    Settle();
    if (!progress_error_.IsEmpty()) {
      deferred_.Reject(progress_error_.Value());
      return;
    }
    try {
      deferred_.Resolve(task_.to_js(env, result_));
    } catch (...) {
      deferred_.Reject(CurrentJsError(env).Value());  // e.g. the results do not fit in memory
    }
  }

  void OnError(const Napi::Error&) override {
    Settle();
    deferred_.Reject(ToJsError(Base::Env(), error_).Value());
  }

  void Settle() {
    if (task_.on_settle) task_.on_settle();
  }

  Napi::Promise::Deferred deferred_;
  Task task_;
  Napi::ObjectReference keep_alive_;
  Result result_{};
  CapturedError error_;
  Napi::ObjectReference progress_error_;  // the first error thrown by on_progress
};

}  // namespace vad::binding

#pragma once
// Turns any C++ exception into the matching JS error: vad::TypeError and vad::RangeError into TypeError and
// RangeError, everything else into Error. Work on a worker thread cannot throw into JS, so PromiseWorker keeps
// a CapturedError from the worker thread and raises it on the JS thread.
#include <napi.h>

#include <string>

namespace vad::binding {

enum class ErrorKind { Error, TypeError, RangeError };

struct CapturedError {
  ErrorKind kind = ErrorKind::Error;
  std::string message;
};

// Classifies the exception in flight; call only inside a catch block.
CapturedError CaptureCurrentException();

Napi::Error ToJsError(Napi::Env env, const CapturedError& error);

// The JS error for the exception in flight, on the JS thread: a Napi::Error as it is (it may carry a JS
// value thrown by a callback), any other exception classified. Call only inside a catch block.
Napi::Error CurrentJsError(Napi::Env env);

// Runs fn; any C++ exception becomes a thrown JS error of the matching kind.
template <typename Fn>
auto Guard(Napi::Env env, Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (...) {
    throw CurrentJsError(env);
  }
}

}  // namespace vad::binding

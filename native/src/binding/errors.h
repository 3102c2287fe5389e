#pragma once
// Turns any C++ exception into the matching JS error. Async workers cannot throw across threads,
// so they keep a CapturedError from Execute() and raise it in OnError() on the JS thread.
#include <napi.h>

#include <exception>
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

// Runs fn; any C++ exception becomes a thrown JS error of the matching kind.
template <typename Fn>
auto Guard(Napi::Env env, Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const Napi::Error&) {
    throw;
  } catch (...) {
    throw ToJsError(env, CaptureCurrentException());
  }
}

}  // namespace vad::binding

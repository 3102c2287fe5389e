#include "binding/errors.h"

#include <c10/util/Exception.h>

#include "core/errors.h"

namespace vad::binding {

CapturedError CaptureCurrentException() {
  try {
    throw;
  } catch (const vad::TypeError& e) {
    return {ErrorKind::TypeError, e.what()};
  } catch (const vad::RangeError& e) {
    return {ErrorKind::RangeError, e.what()};
  } catch (const c10::Error& e) {
    // what() carries a C++ backtrace that means nothing to a JS caller.
    return {ErrorKind::Error, e.what_without_backtrace()};
  } catch (const std::bad_alloc&) {
    return {ErrorKind::RangeError, "out of memory"};
  } catch (const std::exception& e) {
    return {ErrorKind::Error, e.what()};
  } catch (...) {
    return {ErrorKind::Error, "unknown native error"};
  }
}

Napi::Error ToJsError(Napi::Env env, const CapturedError& error) {
  switch (error.kind) {
    case ErrorKind::TypeError: return Napi::TypeError::New(env, error.message);
    case ErrorKind::RangeError: return Napi::RangeError::New(env, error.message);
    default: return Napi::Error::New(env, error.message);
  }
}

Napi::Error CurrentJsError(Napi::Env env) {
  try {
    throw;
  } catch (const Napi::Error& error) {
    return error;
  } catch (...) {
    return ToJsError(env, CaptureCurrentException());
  }
}

}  // namespace vad::binding

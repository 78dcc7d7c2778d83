// Result<T>: the one error type of Orchard. A fallible function returns std::expected<T, Error>.
// Error carries a protocol-free code (only http/ maps it to a status, only cli/ to an exit code),
// a message a person can act on, and per-field details for forms and API clients.
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace orchard {

enum class ErrorCode {
  kInvalidArgument,       // input that cannot be read: syntax, type, unknown field or parameter
  kInvalidValue,          // readable input that breaks a rule: out of range, inconsistent, dangling
  kNotFound,              // the thing asked for does not exist (or is not visible to the actor)
  kAlreadyExists,         // a unique key is taken
  kConflict,              // a stale version: someone else changed it first
  kPermissionDenied,      // authenticated, but not allowed
  kUnauthenticated,       // no valid session or token
  kResourceExhausted,     // too large: a body, a file, memory
  kTooManyRequests,       // too many or too fast: wait (sign-in attempts, exports at once)
  kUnsupportedMediaType,  // a body in a format the operation does not read
  kUnavailable,           // a dependency (database, disk) cannot be reached right now
  kInternal,              // a bug or an invariant broken
};

std::string_view ErrorCodeName(ErrorCode code);

struct FieldError {
  std::string field;
  std::string message;
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::vector<FieldError> fields;

  // "conflict: account 12 was changed by someone else" — for logs and the CLI.
  std::string ToString() const;
};

template <class T>
using Result = std::expected<T, Error>;
using Status = Result<void>;

inline std::unexpected<Error> Fail(ErrorCode code, std::string message,
                                   std::vector<FieldError> fields = {}) {
  return std::unexpected(Error{code, std::move(message), std::move(fields)});
}

// An invalid-argument error about one field.
inline std::unexpected<Error> FailField(std::string field, std::string message) {
  std::string whole = field + ": " + message;
  return Fail(ErrorCode::kInvalidArgument, std::move(whole),
              {FieldError{std::move(field), std::move(message)}});
}

// An invalid-value error about one field: well-formed, but it breaks a rule.
inline std::unexpected<Error> FailValue(std::string field, std::string message) {
  std::string whole = field + ": " + message;
  return Fail(ErrorCode::kInvalidValue, std::move(whole),
              {FieldError{std::move(field), std::move(message)}});
}

inline Status Ok() { return {}; }

}  // namespace orchard

#define ORCHARD_CONCAT_INNER_(a, b) a##b
#define ORCHARD_CONCAT_(a, b) ORCHARD_CONCAT_INNER_(a, b)

// ORCHARD_TRY(auto x, Fallible()); — binds the value or returns the error to the caller.
#define ORCHARD_TRY(lhs, expr) ORCHARD_TRY_IMPL_(ORCHARD_CONCAT_(orchard_try_, __LINE__), lhs, expr)
#define ORCHARD_TRY_IMPL_(tmp, lhs, expr)                   \
  auto tmp = (expr);                                        \
  if (!tmp) return std::unexpected(std::move(tmp.error())); \
  lhs = std::move(*tmp)

// ORCHARD_CHECK(FallibleStatus()); — returns the error to the caller, if any.
#define ORCHARD_CHECK(expr)                                                         \
  do {                                                                              \
    auto orchard_check_ = (expr);                                                   \
    if (!orchard_check_) return std::unexpected(std::move(orchard_check_.error())); \
  } while (0)

#include "http/errors.h"

#include <boost/json.hpp>

namespace orchard::http {

int HttpStatus(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return 400;
    case ErrorCode::kInvalidValue:
      return 422;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kPermissionDenied:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kAlreadyExists:
      return 409;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kResourceExhausted:
      return 413;
    case ErrorCode::kTooManyRequests:
      return 429;
    case ErrorCode::kUnsupportedMediaType:
      return 415;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

std::string ErrorBody(const Error& error, std::string_view code_name) {
  boost::json::array fields;
  for (const auto& f : error.fields) {
    fields.push_back(boost::json::object{{"field", f.field}, {"message", f.message}});
  }
  boost::json::object inner{
      {"code", std::string(code_name.empty() ? ErrorCodeName(error.code) : code_name)},
      {"message", error.message},
      {"fields", std::move(fields)}};
  return boost::json::serialize(boost::json::object{{"error", std::move(inner)}});
}

bool IsDatabaseOutage(const Error& error) {
  if (error.code != ErrorCode::kUnavailable) return false;
  // The adapters' messages: "postgresql: …", "cannot connect to PostgreSQL at …", "sqlite: …",
  // "cannot open SQLite database …".
  const std::string& m = error.message;
  return m.starts_with("postgresql") || m.starts_with("cannot connect to PostgreSQL") ||
         m.starts_with("sqlite") || m.starts_with("cannot open SQLite");
}

HttpResponse ErrorResponse(const Error& error) {
  HttpResponse r;
  r.status = HttpStatus(error.code);
  if (IsDatabaseOutage(error)) {
    r.body = ErrorBody(Error{error.code, std::string(kDatabaseUnavailable), {}});
    r.log_detail = "database: " + error.message;
    r.headers.emplace_back("Retry-After", "5");
    return r;
  }
  r.body = ErrorBody(error);
  return r;
}

}  // namespace orchard::http

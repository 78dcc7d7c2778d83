// The one place that maps Orchard's protocol-free error codes to HTTP statuses, and the one JSON
// error shape: {"error": {"code", "message", "fields": [{"field", "message"}]}}.
#pragma once

#include "core/result.h"
#include "http/router.h"

namespace orchard::http {

// 400: the request cannot be read (syntax, type, unknown field); 422: it can, but a value breaks
// a rule; 405 (method not allowed) is decided by the router, which names its own code.
int HttpStatus(ErrorCode code);
std::string ErrorBody(const Error& error, std::string_view code_name = {});
// A database outage (kUnavailable from an adapter: unreachable, lost, locked, read-only) reaches
// the client as kDatabaseUnavailable alone — libpq's message names the host and port — and the
// detail goes to the access log (HttpResponse::log_detail).
HttpResponse ErrorResponse(const Error& error);

inline constexpr std::string_view kDatabaseUnavailable =
    "the database is unavailable; try again shortly";
bool IsDatabaseOutage(const Error& error);

}  // namespace orchard::http

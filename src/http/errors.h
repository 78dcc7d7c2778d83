// The one place that maps Orchard's protocol-free error codes to HTTP statuses, and the one JSON
// error shape: {"error": {"code", "message", "fields": [{"field", "message"}]}}.
#pragma once

#include "core/result.h"
#include "http/router.h"

namespace orchard::http {

int HttpStatus(ErrorCode code);
std::string ErrorBody(const Error& error);
HttpResponse ErrorResponse(const Error& error);

}  // namespace orchard::http

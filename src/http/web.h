// Serves the embedded web UI: files at their paths, index.html for every other page path (the
// app routes in the browser), and a page saying how to build the UI when the binary has none.
#pragma once

#include "http/router.h"

namespace orchard::http {

// GET / HEAD of `request.path`: the asset, the app's index.html for a page path, or null when
// the path is the API's (/api/...) or a missing asset file (so the caller answers 404).
std::optional<HttpResponse> ServeWeb(const HttpRequest& request);

}  // namespace orchard::http

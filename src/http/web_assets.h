// The built web UI (web/dist), embedded in the binary by embed_web.cmake: each file's path,
// content type, bytes and, for text, its gzip twin. Static data, generated at build time.
#pragma once

#include <span>
#include <string_view>

namespace orchard::http {

struct WebAsset {
  std::string_view path;          // "/index.html", "/assets/index-3f2a.js"
  std::string_view content_type;  // "text/javascript; charset=utf-8"
  std::string_view body;
  std::string_view gzip;  // empty when the build wrote no .gz for it
  bool immutable;         // content-hashed: cacheable forever
};

// Every embedded file; empty when the binary was built without web/dist.
std::span<const WebAsset> WebAssets();
bool WebAssetsArePlaceholder();

}  // namespace orchard::http

#include "http/web.h"

#include <algorithm>

#include "http/web_assets.h"

namespace orchard::http {

namespace {

// The app loads only its own scripts and styles and talks only to this server. ECharts and
// Preact set inline style properties, hence 'unsafe-inline' for styles only.
constexpr std::string_view kPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

constexpr std::string_view kPlaceholder = R"html(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Orchard</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem;color:#1d2b1f}
code{background:#eef3ec;padding:.1rem .3rem;border-radius:4px}a{color:#2f6b3a}</style></head>
<body><h1>Orchard is running, without its web UI</h1>
<p>This binary was built before the web UI was: run <code>scripts/bootstrap</code> (it runs
<code>npm ci</code> and <code>npm run build</code> in <code>web/</code>), then build again.</p>
<p>The JSON API works: <a href="/api/v1/openapi.json"><code>/api/v1/openapi.json</code></a> lists
every route; <a href="/healthz"><code>/healthz</code></a> is liveness.</p></body></html>
)html";

bool AcceptsGzip(const HttpRequest& request) {
  auto it = request.headers.find("accept-encoding");
  return it != request.headers.end() && it->second.find("gzip") != std::string::npos;
}

void AddCommonHeaders(HttpResponse& r) {
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Referrer-Policy", "same-origin");
}

HttpResponse FromAsset(const WebAsset& asset, const HttpRequest& request) {
  HttpResponse r;
  r.content_type = std::string(asset.content_type);
  bool gzip = !asset.gzip.empty() && AcceptsGzip(request);
  r.body = std::string(gzip ? asset.gzip : asset.body);
  if (gzip) r.headers.emplace_back("Content-Encoding", "gzip");
  if (!asset.gzip.empty()) r.headers.emplace_back("Vary", "Accept-Encoding");
  r.headers.emplace_back("Cache-Control",
                         asset.immutable ? "public, max-age=31536000, immutable" : "no-cache");
  if (asset.content_type.starts_with("text/html")) {
    r.headers.emplace_back("Content-Security-Policy", std::string(kPolicy));
  }
  AddCommonHeaders(r);
  return r;
}

const WebAsset* Find(std::string_view path) {
  auto all = WebAssets();
  auto it = std::find_if(all.begin(), all.end(), [&](const WebAsset& a) { return a.path == path; });
  return it == all.end() ? nullptr : &*it;
}

}  // namespace

std::optional<HttpResponse> ServeWeb(const HttpRequest& request) {
  std::string_view path = request.path;
  if (path == "/api" || path.starts_with("/api/")) return std::nullopt;
  if (path != "/" && path != "/index.html") {
    if (const WebAsset* asset = Find(path)) return FromAsset(*asset, request);
    // A missing hashed asset is a 404, not the app's page: a stale script must not get HTML.
    if (path.starts_with("/assets/")) return std::nullopt;
    size_t slash = path.rfind('/');
    if (path.find('.', slash) != std::string_view::npos) return std::nullopt;
  }
  if (const WebAsset* index = Find("/index.html")) return FromAsset(*index, request);
  HttpResponse r;
  r.content_type = "text/html; charset=utf-8";
  r.body = std::string(kPlaceholder);
  r.headers.emplace_back("Cache-Control", "no-cache");
  r.headers.emplace_back("Content-Security-Policy", std::string(kPolicy));
  AddCommonHeaders(r);
  return r;
}

}  // namespace orchard::http

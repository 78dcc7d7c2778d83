#include "http/metrics.h"

#include <fmt/core.h>

#include "http/errors.h"

namespace orchard::http {

void Metrics::Observe(const std::string& route, int status, int64_t micros) {
  double seconds = static_cast<double>(micros) / 1e6;
  std::lock_guard lock(mu_);
  ++requests_[{route, status}];
  Histogram& h = latency_[route];
  for (size_t i = 0; i < kBucketsSeconds.size(); ++i) {
    if (seconds <= kBucketsSeconds[i]) ++h.buckets[i];
  }
  ++h.count;
  h.sum_seconds += seconds;
}

void Metrics::AddGauge(std::string name, std::string help, std::function<double()> read) {
  std::lock_guard lock(mu_);
  gauges_[std::move(name)] = Gauge{std::move(help), std::move(read)};
}

std::string Metrics::Render() const {
  std::lock_guard lock(mu_);
  std::string out;
  out += "# HELP orchard_http_requests_total HTTP requests by route and status.\n";
  out += "# TYPE orchard_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    out += fmt::format("orchard_http_requests_total{{route=\"{}\",status=\"{}\"}} {}\n", key.first,
                       key.second, n);
  }
  out += "# HELP orchard_http_request_duration_seconds Time to answer, by route.\n";
  out += "# TYPE orchard_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    for (size_t i = 0; i < kBucketsSeconds.size(); ++i) {
      out +=
          fmt::format("orchard_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n",
                      route, kBucketsSeconds[i], h.buckets[i]);
    }
    out +=
        fmt::format("orchard_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n",
                    route, h.count);
    out += fmt::format("orchard_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", route,
                       h.sum_seconds);
    out += fmt::format("orchard_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", route,
                       h.count);
  }
  for (const auto& [name, g] : gauges_) {
    out += "# HELP " + name + " " + g.help + "\n# TYPE " + name + " gauge\n";
    out += fmt::format("{} {}\n", name, g.read());
  }
  return out;
}

void Metrics::SetToken(std::string token) {
  std::lock_guard lock(mu_);
  token_ = std::move(token);
}

void Metrics::SetLoopbackOnly(bool loopback_only) { loopback_only_ = loopback_only; }

namespace {

// Equal strings, in time that depends on the lengths only, not on where they first differ.
bool SameSecret(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return diff == 0;
}

}  // namespace

HttpResponse Metrics::Serve(const HttpRequest& request) const {
  std::string token;
  {
    std::lock_guard lock(mu_);
    token = token_;
  }
  if (!token.empty()) {
    auto it = request.headers.find("authorization");
    std::string_view sent = it == request.headers.end() ? "" : std::string_view(it->second);
    constexpr std::string_view kBearer = "Bearer ";
    if (!sent.starts_with(kBearer)) {
      HttpResponse r = ErrorResponse(
          Error{ErrorCode::kUnauthenticated,
                "/metrics needs the metrics token: send it as Authorization: Bearer <token>",
                {}});
      r.headers.emplace_back("WWW-Authenticate", "Bearer");
      return r;
    }
    if (!SameSecret(sent.substr(kBearer.size()), token)) {
      return ErrorResponse(
          Error{ErrorCode::kPermissionDenied, "/metrics: that is not the metrics token", {}});
    }
  } else if (!loopback_only_) {
    return ErrorResponse(Error{ErrorCode::kPermissionDenied,
                               "/metrics is closed on a server that listens beyond loopback "
                               "without a token: start it with --metrics-token (or "
                               "ORCHARD_METRICS_TOKEN) and send Authorization: Bearer <token>",
                               {}});
  }
  HttpResponse res;
  res.content_type = "text/plain; version=0.0.4";
  res.body = Render();
  return res;
}

}  // namespace orchard::http

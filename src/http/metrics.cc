#include "http/metrics.h"

#include <fmt/core.h>

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

}  // namespace orchard::http

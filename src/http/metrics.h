// Metrics: what /metrics tells Prometheus — requests by route and status, a latency histogram
// per route, and the database pool. Counting is lock-light (one mutex, held for a map update);
// rendering walks a snapshot.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "http/router.h"

namespace orchard::http {

class Metrics {
 public:
  static constexpr std::array<double, 11> kBucketsSeconds = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0};

  // route: "GET /api/v1/accounts/{id}" (or "unmatched"); never the raw path, so the label set
  // stays small whatever clients send.
  void Observe(const std::string& route, int status, int64_t micros);
  // Gauges read at render time, such as the pool's connections in use.
  void AddGauge(std::string name, std::string help, std::function<double()> read);
  std::string Render() const;

  // Who may read /metrics. With a token (--metrics-token, ORCHARD_METRICS_TOKEN), a request that
  // sends it as `Authorization: Bearer <token>` (compared in constant time). Without one, anyone
  // while the server listens on loopback only, and no one otherwise (403 naming how to enable
  // it). The server says which when it binds; until then, no one.
  void SetToken(std::string token);
  void SetLoopbackOnly(bool loopback_only);
  // GET /metrics: the rendering, or 401/403 by the rules above.
  HttpResponse Serve(const HttpRequest& request) const;

 private:
  struct Histogram {
    std::array<uint64_t, kBucketsSeconds.size()> buckets{};
    uint64_t count = 0;
    double sum_seconds = 0;
  };
  struct Gauge {
    std::string help;
    std::function<double()> read;
  };
  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, uint64_t> requests_;
  std::map<std::string, Histogram> latency_;
  std::map<std::string, Gauge> gauges_;
  std::string token_;  // under mu_
  std::atomic<bool> loopback_only_{false};
};

}  // namespace orchard::http

// Metrics: what /metrics tells Prometheus — requests by route and status, a latency histogram
// per route, and the database pool. Counting is lock-light (one mutex, held for a map update);
// rendering walks a snapshot.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

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
};

}  // namespace orchard::http

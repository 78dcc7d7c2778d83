// Progress of long work on stderr: one line rewritten in place on a terminal (done/total, rows/s,
// ETA); on a pipe or in CI a plain line every few seconds, so logs stay readable.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

namespace orchard::cli {

class ProgressLine {
 public:
  ProgressLine(std::FILE* out, std::string unit);
  void Update(int64_t done, int64_t total, int64_t rows, double seconds);
  void Finish();

 private:
  std::FILE* out_;
  std::string unit_;
  bool terminal_;
  double last_printed_ = -1e9;
  bool printed_ = false;
};

// 1234567 → "1,234,567".
std::string Grouped(int64_t n);

}  // namespace orchard::cli

#include "cli/progress.h"

#include <fmt/core.h>
#include <unistd.h>

namespace orchard::cli {

std::string Grouped(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return n < 0 ? "-" + out : out;
}

ProgressLine::ProgressLine(std::FILE* out, std::string unit)
    : out_(out), unit_(std::move(unit)), terminal_(isatty(fileno(out)) != 0) {}

void ProgressLine::Update(int64_t done, int64_t total, int64_t rows, double seconds) {
  double interval = terminal_ ? 0.2 : 5.0;
  if (seconds - last_printed_ < interval && done < total) return;
  last_printed_ = seconds;
  double rate = seconds > 0 ? static_cast<double>(rows) / seconds : 0;
  double eta = done > 0 && done < total ? seconds * static_cast<double>(total - done) / done : 0;
  std::string line =
      fmt::format("{} / {} {} ({:.0f}%) · {} rows · {} rows/s · ETA {:.0f} s", Grouped(done),
                  Grouped(total), unit_, total > 0 ? 100.0 * done / total : 100.0, Grouped(rows),
                  Grouped(static_cast<int64_t>(rate)), eta);
  if (terminal_) {
    fmt::print(out_, "\r\033[K{}", line);
  } else {
    fmt::print(out_, "{}\n", line);
  }
  std::fflush(out_);
  printed_ = true;
}

void ProgressLine::Finish() {
  if (terminal_ && printed_) fmt::print(out_, "\n");
}

}  // namespace orchard::cli

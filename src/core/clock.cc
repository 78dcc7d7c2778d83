#include "core/clock.h"

#include <chrono>

namespace orchard {

Timestamp SystemClock::Now() const {
  auto s = std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::system_clock::now().time_since_epoch());
  return Timestamp::FromUnixSeconds(s.count());
}

}  // namespace orchard

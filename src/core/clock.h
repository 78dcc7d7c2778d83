// Clock: the only source of "now". Injected everywhere so tests and the seed generator can fix
// the reference day; never call std::chrono::system_clock outside SystemClock.
#pragma once

#include "core/date.h"

namespace orchard {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp Now() const = 0;
  Date Today() const { return Now().date(); }
};

class SystemClock final : public Clock {
 public:
  Timestamp Now() const override;
};

class FixedClock final : public Clock {
 public:
  explicit FixedClock(Timestamp now) : now_(now) {}
  Timestamp Now() const override { return now_; }
  void Set(Timestamp now) { now_ = now; }

 private:
  Timestamp now_;
};

}  // namespace orchard

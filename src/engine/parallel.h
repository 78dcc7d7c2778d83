// ForEachRange: one pass over [0, n) split into contiguous ranges run side by side, for the
// engine's whole-book loops (the day columns' rebuild). Hand-written because the one thing
// needed — two to four ranges on threads that exist only for the call — is a few lines, and
// the packaged pools (Boost.Asio's thread_pool, TBB) would add a dependency and a long-lived
// pool to every binary for it. Small loops run inline: a thread costs tens of microseconds.
#pragma once

#include <algorithm>
#include <cstddef>
#include <thread>
#include <vector>

namespace orchard::engine {

// Calls f(begin, end) for disjoint ranges covering [0, n); returns when all have run. `f` must
// only read shared state and write what its own range owns.
template <class F>
void ForEachRange(size_t n, F&& f) {
  constexpr size_t kMinPerThread = 1 << 15;
  const size_t cores = std::max(1u, std::thread::hardware_concurrency());
  const size_t parts = std::clamp<size_t>(n / kMinPerThread, 1, std::min<size_t>(cores, 4));
  if (parts == 1) {
    f(size_t{0}, n);
    return;
  }
  std::vector<std::jthread> others;
  const size_t step = (n + parts - 1) / parts;
  for (size_t p = 1; p < parts; ++p) {
    size_t begin = p * step, end = std::min(n, begin + step);
    others.emplace_back([&f, begin, end] { f(begin, end); });
  }
  f(size_t{0}, step);
}

}  // namespace orchard::engine

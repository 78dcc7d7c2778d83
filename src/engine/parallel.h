// One pass over [0, n) split into contiguous ranges run side by side, for the engine's whole-book
// loops (the day columns' rebuild, the dashboards that read every account). Hand-written because
// the one thing needed — two to four ranges on threads that live for the call — is a few lines,
// and the packaged pools (Boost.Asio's thread_pool, TBB) would add a dependency and a long-lived
// pool to every binary for it. Small loops run inline: a thread costs tens of microseconds.
#pragma once

#include <algorithm>
#include <cstddef>
#include <thread>
#include <vector>

namespace orchard::engine {

// How many ranges a loop over n is split into: one per core (at most 4), 32k items at least each.
inline size_t RangesFor(size_t n) {
  constexpr size_t kMinPerRange = 1 << 15;
  const size_t cores = std::max(1u, std::thread::hardware_concurrency());
  return std::clamp<size_t>(n / kMinPerRange, 1, std::min<size_t>(cores, 4));
}

// Calls f(part, begin, end) for the RangesFor(n) disjoint ranges covering [0, n), part counting
// from 0; returns when all have run. `f` may only read shared state and write what its own
// range or part owns.
template <class F>
void ForEachRange(size_t n, F&& f) {
  const size_t parts = RangesFor(n);
  const size_t step = (n + parts - 1) / std::max<size_t>(parts, 1);
  std::vector<std::jthread> others;
  for (size_t p = 1; p < parts; ++p) {
    size_t begin = std::min(n, p * step), end = std::min(n, begin + step);
    others.emplace_back([&f, p, begin, end] { f(p, begin, end); });
  }
  f(size_t{0}, size_t{0}, std::min(n, step));
}

// A reduction over [0, n): body(part_value, begin, end) fills one T per range (each starting as
// `init`), then merge(into, from) folds them, in range order, into the first.
template <class T, class Body, class Merge>
T ReduceRanges(size_t n, const T& init, Body&& body, Merge&& merge) {
  std::vector<T> parts(RangesFor(n), init);
  ForEachRange(n, [&](size_t part, size_t begin, size_t end) { body(parts[part], begin, end); });
  for (size_t p = 1; p < parts.size(); ++p) merge(parts[0], parts[p]);
  return std::move(parts[0]);
}

}  // namespace orchard::engine

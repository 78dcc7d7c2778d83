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

// The fewest items a range holds: 32k. Tests lower it so that a small book takes the split path.
inline size_t& MinPerRange() {
  static size_t min_per_range = 1 << 15;
  return min_per_range;
}

// How many ranges a loop over n is split into: one per core (at least 2 when lowered for tests,
// at most 4), MinPerRange() items at least each.
inline size_t RangesFor(size_t n) {
  const size_t cores = std::max(1u, std::thread::hardware_concurrency());
  const size_t most = MinPerRange() < (1 << 15) ? 4 : std::min<size_t>(cores, 4);
  return std::clamp<size_t>(n / std::max<size_t>(MinPerRange(), 1), 1, most);
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
// Each range's value sits on cache lines of its own: counters a range bumps per item must not
// share a line with its neighbour's (false sharing made such passes slower on two cores than on
// one).
template <class T, class Body, class Merge>
T ReduceRanges(size_t n, const T& init, Body&& body, Merge&& merge) {
  struct alignas(128) Own {
    T value;
  };
  std::vector<Own> parts(RangesFor(n), Own{init});
  ForEachRange(n,
               [&](size_t part, size_t begin, size_t end) { body(parts[part].value, begin, end); });
  for (size_t p = 1; p < parts.size(); ++p) merge(parts[0].value, parts[p].value);
  return std::move(parts[0].value);
}

}  // namespace orchard::engine

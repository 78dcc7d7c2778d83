// ColumnOrder against a brute-force sort: random values with ties and NULLs, random moves,
// arrivals and removals, walked in both directions from every cursor.
#include "engine/column_order.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace orchard::engine {
namespace {

using store::SqlValue;

struct Model {
  std::vector<int64_t> ids;
  std::vector<std::optional<SqlValue>> values;  // by slot; nullopt: not in the order
};

// The list as SQL orders it: values ascending (or descending), ties by id the same way, NULLs
// last by id the same way.
std::vector<uint32_t> Expected(const Model& m, bool desc) {
  std::vector<uint32_t> slots;
  for (uint32_t s = 0; s < m.values.size(); ++s) {
    if (m.values[s]) slots.push_back(s);
  }
  std::sort(slots.begin(), slots.end(), [&](uint32_t a, uint32_t b) {
    const SqlValue& x = *m.values[a];
    const SqlValue& y = *m.values[b];
    bool xn = std::holds_alternative<std::monostate>(x),
         yn = std::holds_alternative<std::monostate>(y);
    if (xn != yn) return yn;
    if (!xn && x != y) return desc ? y < x : x < y;
    return desc ? m.ids[a] > m.ids[b] : m.ids[a] < m.ids[b];
  });
  return slots;
}

std::vector<uint32_t> Walked(const ColumnOrder& order, bool desc, const SqlValue& after,
                             int64_t after_id) {
  std::vector<uint32_t> out;
  order.Walk(desc, after, after_id, [&](uint32_t s) {
    out.push_back(s);
    return true;
  });
  return out;
}

void CheckEveryCursor(const Model& m, const ColumnOrder& order) {
  for (bool desc : {false, true}) {
    auto expected = Expected(m, desc);
    ASSERT_EQ(Walked(order, desc, SqlValue{}, 0), expected) << (desc ? "desc" : "asc");
    auto sorted = expected;
    std::reverse(sorted.begin(), sorted.end());
    std::sort(sorted.begin(), sorted.end(),
              [&](uint32_t a, uint32_t b) { return order.Before(a, b, desc); });
    ASSERT_EQ(sorted, expected) << "Before, " << (desc ? "desc" : "asc");
    for (size_t i = 0; i < expected.size(); ++i) {
      uint32_t s = expected[i];
      if (i % 7 == 0) {
        for (size_t k = 0; k < expected.size(); ++k) {
          ASSERT_EQ(order.AfterCursor(expected[k], desc, *m.values[s], m.ids[s]), k > i)
              << "AfterCursor, " << (desc ? "desc " : "asc ") << k << " vs " << i;
        }
      }
      std::vector<uint32_t> rest(expected.begin() + static_cast<ptrdiff_t>(i) + 1, expected.end());
      ASSERT_EQ(Walked(order, desc, *m.values[s], m.ids[s]), rest)
          << (desc ? "desc" : "asc") << " after position " << i;
    }
  }
}

SqlValue RandomValue(uint64_t& state, bool text) {
  state = state * 6364136223846793005ULL + 1442695040888963407ULL;
  uint64_t r = state >> 33;
  if (r % 5 == 0) return SqlValue{};  // NULL
  if (text) return std::string(1 + r % 3, static_cast<char>('a' + (r / 7) % 4));
  return static_cast<int64_t>((r / 5) % 7) - 3;
}

class ColumnOrderTest : public ::testing::TestWithParam<bool> {};

TEST_P(ColumnOrderTest, WalksFromEveryCursorAsSqlOrdersAcrossWrites) {
  const bool text = GetParam();
  Model m;
  uint64_t state = 42;
  for (int i = 0; i < 3000; ++i) m.ids.push_back(3 * i + 1);
  std::vector<std::pair<uint32_t, SqlValue>> rows;
  m.values.resize(m.ids.size());
  for (uint32_t s = 0; s < 2500; ++s) {
    m.values[s] = RandomValue(state, text);
    rows.emplace_back(s, *m.values[s]);
  }
  ColumnOrder order(m.ids);
  order.Build(rows);
  CheckEveryCursor(m, order);
  // Moves, arrivals (slots past those built) and removals; blocks split and empty.
  for (int step = 0; step < 6000; ++step) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    uint32_t s = static_cast<uint32_t>((state >> 33) % m.ids.size());
    if ((state >> 20) % 4 == 0) {
      order.Erase(s);
      m.values[s].reset();
    } else {
      SqlValue v = RandomValue(state, text);
      order.Set(s, v);
      m.values[s] = v;
    }
  }
  CheckEveryCursor(m, order);
  // A cursor from a row since deleted, or a value no row has, still starts in the right place.
  auto asc = Expected(m, false);
  SqlValue probe = text ? SqlValue{std::string("bb")} : SqlValue{int64_t{1}};
  std::vector<uint32_t> after;
  for (uint32_t s : asc) {
    const SqlValue& v = *m.values[s];
    if (std::holds_alternative<std::monostate>(v) || probe < v || (v == probe && m.ids[s] > 2)) {
      after.push_back(s);
    }
  }
  EXPECT_EQ(Walked(order, false, probe, 2), after);
}

INSTANTIATE_TEST_SUITE_P(Kinds, ColumnOrderTest, ::testing::Values(false, true),
                         [](const auto& p) { return p.param ? "Text" : "Numbers"; });

}  // namespace
}  // namespace orchard::engine

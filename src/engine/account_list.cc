#include "engine/account_list.h"

#include <array>
#include <utility>

namespace orchard::engine {

namespace {

constexpr std::array<std::pair<std::string_view, AccountColumn>, 6> kColumns = {{
    {"arr_cents", AccountColumn::kArr},
    {"health", AccountColumn::kHealth},
    {"renewal_date", AccountColumn::kRenewal},
    {"last_meaningful_contact", AccountColumn::kLastContact},
    {"plan_completeness", AccountColumn::kCompleteness},
    {"multithreading_depth", AccountColumn::kDepth},
}};

std::optional<int64_t> Day(int32_t day) {
  if (day == kNoDay || day == kOpenEnd) return std::nullopt;
  return day;
}

}  // namespace

std::optional<AccountColumn> ParseAccountColumn(std::string_view name) {
  for (const auto& [text, column] : kColumns) {
    if (text == name) return column;
  }
  return std::nullopt;
}

std::string_view ToString(AccountColumn column) {
  for (const auto& [text, c] : kColumns) {
    if (c == column) return text;
  }
  return "";
}

std::optional<int64_t> AccountColumnValue(const DayColumns& on, size_t slot, AccountColumn column) {
  const Summary& s = on.summary[slot];
  switch (column) {
    case AccountColumn::kArr:
      return on.arr_cents[slot];
    case AccountColumn::kHealth:
      return s.health < 0 ? std::nullopt : std::optional<int64_t>(s.health);
    case AccountColumn::kRenewal:
      return Day(on.renewal[slot]);
    case AccountColumn::kLastContact:
      return Day(s.last_meaningful);
    case AccountColumn::kCompleteness:
      return s.completeness;
    case AccountColumn::kDepth:
      return s.depth;
  }
  return std::nullopt;
}

}  // namespace orchard::engine

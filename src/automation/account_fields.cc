#include "automation/account_fields.h"

#include <array>
#include <climits>
#include <string_view>

#include "domain/enums.h"

namespace orchard::automation {
namespace {

constexpr std::array<std::string_view, 4> kColours{"none", "green", "yellow", "red"};
constexpr std::array<std::string_view, 4> kQuadrants{"invest", "protect", "develop", "automate"};

constexpr auto N = ValueType::kNumber;
constexpr auto T = ValueType::kText;
constexpr auto B = ValueType::kBool;

const std::array<FieldDef, kFieldCount> kFields{{
    {"tier", N, "the tier in force: 1, 2 or 3"},
    {"arr", N, "ARR today, in dollars (250k, 1.5m)"},
    {"health", N, "the health score, 0–100 (missing: no score yet)"},
    {"colour", T, "the health colour", kColours},
    {"quadrant", T, "the 2×2 quadrant", kQuadrants},
    {"owner", T, "the AM's e-mail (missing: no owner)"},
    {"industry", T, "the industry as written on the account"},
    {"region", T, "the region as written on the account"},
    {"days_to_renewal", N, "days to the next renewal (missing: none)"},
    {"depth", N, "multithreading depth: engaged contacts"},
    {"plan_completeness", N, "plan completeness, 0–100"},
    {"days_since_contact", N, "days since the last meaningful contact (missing: never)"},
    {"whitespace", N, "open whitespace, in dollars"},
    {"strategic", B, "flagged strategic"},
    {"single_threaded", B, "one engaged contact or none"},
    {"stale_plan", B, "the plan is older than its tier's refresh cadence"},
    {"overdue_actions", B, "the plan has actions past their date"},
    {"champion_lost", B, "a champion departed and none replaced them"},
    {"no_economic_buyer", B, "no economic buyer engaged in 90 days"},
    {"name", T, "the account's name"},
}};

}  // namespace

std::span<const FieldDef> AccountFields() { return kFields; }

std::string_view ColourName(int colour) {
  return colour >= 0 && colour < 4 ? kColours[static_cast<size_t>(colour)] : "none";
}

Value AccountReader::Get(size_t field) const {
  const engine::Summary& s = day_.summary[slot_];
  auto flag = [&](uint16_t bit) { return Value::Bool((s.flags & bit) != 0); };
  switch (static_cast<AccountField>(field)) {
    case kFieldTier:
      return Value::Number(s.tier + 1);
    case kFieldArr:
      return Value::Number(static_cast<double>(day_.arr_cents[slot_]) / 100.0);
    case kFieldHealth:
      return s.health < 0 ? Value::Missing(N) : Value::Number(s.health);
    case kFieldColour:
      return Value::Text(ColourName(s.colour));
    case kFieldQuadrant:
      return Value::Text(kQuadrants[s.quadrant & 3]);
    case kFieldOwner: {
      auto it = owners_.find(model_.owner_id(slot_));
      return it == owners_.end() ? Value::Missing(T) : Value::Text(it->second);
    }
    case kFieldIndustry:
      return Value::Text(model_.industry(slot_));
    case kFieldRegion:
      return Value::Text(model_.region(slot_));
    case kFieldDaysToRenewal: {
      const int32_t r = day_.renewal[slot_];
      return r == INT32_MAX ? Value::Missing(N) : Value::Number(r - day_.day);
    }
    case kFieldDepth:
      return Value::Number(s.depth);
    case kFieldPlanCompleteness:
      return Value::Number(s.completeness);
    case kFieldDaysSinceContact:
      return s.last_meaningful == engine::DayColumns::kNoDay
                 ? Value::Missing(N)
                 : Value::Number(day_.day - s.last_meaningful);
    case kFieldWhitespace:
      return Value::Number(static_cast<double>(s.whitespace_cents) / 100.0);
    case kFieldStrategic:
      return Value::Bool(model_.strategic(slot_));
    case kFieldSingleThreaded:
      return flag(engine::Summary::kSingleThreaded);
    case kFieldStalePlan:
      return flag(engine::Summary::kStalePlan);
    case kFieldOverdueActions:
      return flag(engine::Summary::kOverdueActions);
    case kFieldChampionLost:
      return flag(engine::Summary::kChampionLost);
    case kFieldNoEconomicBuyer:
      return flag(engine::Summary::kNoEconomicBuyer);
    case kFieldName:
      return Value::Text(model_.name(slot_));
    case kFieldCount:
      break;
  }
  return Value::Missing(N);
}

}  // namespace orchard::automation

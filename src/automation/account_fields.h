// The account's fields and metrics a rule's condition reads (issue 19): one catalog, in one
// order, for the parser (automation/condition.h refuses an unknown field at save), the reader
// over the in-memory book (the runner's pass, the dry run and the trace) and docs/RULES.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>

#include "automation/condition.h"
#include "engine/read_model.h"

namespace orchard::automation {

// Indexes into AccountFields().
enum AccountField : size_t {
  kFieldTier,
  kFieldArr,
  kFieldHealth,
  kFieldColour,
  kFieldQuadrant,
  kFieldOwner,
  kFieldIndustry,
  kFieldRegion,
  kFieldDaysToRenewal,
  kFieldDepth,
  kFieldPlanCompleteness,
  kFieldDaysSinceContact,
  kFieldWhitespace,
  kFieldStrategic,
  kFieldSingleThreaded,
  kFieldStalePlan,
  kFieldOverdueActions,
  kFieldChampionLost,
  kFieldNoEconomicBuyer,
  kFieldName,
  kFieldCount,
};

std::span<const FieldDef> AccountFields();

// The colour's name as conditions write it: none, green, yellow, red (Summary::colour 0–3).
std::string_view ColourName(int colour);

// One account of the book on the columns' day. The caller holds the model's ReadLock; `owners`
// maps a user id to their e-mail (the owner field).
class AccountReader final : public FieldReader {
 public:
  AccountReader(const engine::ReadModel& model, const engine::DayColumns& day,
                const std::unordered_map<int64_t, std::string>& owners)
      : model_(model), day_(day), owners_(owners) {}
  void At(size_t slot) { slot_ = slot; }
  Value Get(size_t field) const override;

 private:
  const engine::ReadModel& model_;
  const engine::DayColumns& day_;
  const std::unordered_map<int64_t, std::string>& owners_;
  size_t slot_ = 0;
};

}  // namespace orchard::automation

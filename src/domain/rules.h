// Each entity's own rules, written once (issue 17): what a row must satisfy beyond the limits
// every column keeps (domain/limits.h) — ranges such as a contact's influence 1–5, required
// names, date order, amounts that may not be negative. The service runs Validate on every create
// and update (service/entity_service.h: a 422 naming the field), the seed runs ValidateRules on
// every row it generates (ingest/seed_writer.h: a generator bug fails the seed), and the importer
// reads its ranges and predicates from here (ingest/import_rows.cc), so a rule changes in one
// place. Each failure is a kInvalidValue naming the field (FailValue): the field and the reason,
// which each caller frames in its own words.
#pragma once

#include <cstdint>
#include <string>

#include "core/result.h"
#include "domain/arr.h"
#include "domain/entities.h"
#include "domain/limits.h"

namespace orchard {

// An inclusive range of whole numbers a field keeps.
struct IntRange {
  int64_t lo = 0;
  int64_t hi = 0;
  constexpr bool Holds(int64_t v) const { return lo <= v && v <= hi; }
  // "from 1 to 5"
  std::string Text() const;
};

inline constexpr IntRange kInfluence{1, 5};             // a contact's influence
inline constexpr IntRange kNpsScore{0, 10};             // an NPS response's score
inline constexpr IntRange kSatisfaction{1, 5};          // a ticket's satisfaction score (CSAT)
inline constexpr IntRange kAdoptionBp{0, 10'000};       // a whitespace cell's adoption, 0–100%
inline constexpr IntRange kSizedAdoptionBp{1, 10'000};  // a sized cell's: some adoption

// The entity's own rules; the first broken one names its field. Entities without rules of their
// own pass.
Status ValidateRules(const Account& a);
Status ValidateRules(const ContractLine& l);
Status ValidateRules(const Contact& c);
Status ValidateRules(const NpsResponse& r);
Status ValidateRules(const Opportunity& o);
Status ValidateRules(const Ticket& t);
Status ValidateRules(const Transcript& t);
Status ValidateRules(const User& u);
Status ValidateRules(const UsageMetric& u);
Status ValidateRules(const WhitespaceCell& c);
template <class T>
Status ValidateRules(const T&) {
  return Ok();
}

// Every write's checks: the fields' limits (text, money, required dates), then the entity's own
// rules.
template <class T>
Status Validate(const T& row) {
  ORCHARD_CHECK(ValidateFields(row));
  return ValidateRules(row);
}

}  // namespace orchard

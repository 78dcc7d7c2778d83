// The response SLA (issue 19): every ticket and customer request gets a first-response time,
// measured against its account's tier's SLA — settings' `response_sla_hours` (4 h tier 1, 24 h
// tier 2; 0, tier 3's, means the help desk answers and nothing is measured).
//
// - *met*: the first response came within the SLA hours of opening (exactly at the SLA is met);
// - *missed*: it came later, or it is still unanswered past the SLA;
// - *pending*: unanswered and still inside the SLA: not counted either way;
// - a ticket closed without a recorded first response is judged by its closing (the closing
//   answered it); one marked closed with no time at all is not measured.
//
// The automation triggers judge the unanswered ones at the clock's second: `sla_at_risk` holds
// while one has used `percent` (75 by default) or more of its SLA and is not yet past it,
// `sla_breached` once one is past it. The KPI strip's attainment (met ÷ (met + missed)) counts
// the tickets opened in the trailing year to the columns' day, judged at that day's start, by
// the account's tier on the day and its owner; the read model keeps those tallies in each
// account's Summary and in running sums, so the whole book's strip reads them without a scan.
// Pure functions over the read model's records; no I/O.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>

#include "core/date.h"
#include "domain/settings.h"
#include "engine/records.h"

namespace orchard::engine {

enum class SlaOutcome : uint8_t { kNotMeasured, kPending, kMet, kMissed };

// The SLA of each tier in seconds (0: not measured) and the instant a ticket is judged at.
struct SlaNow {
  int64_t now = 0;                // unix seconds
  std::array<int64_t, 3> secs{};  // by tier index
};
SlaNow SlaNowOf(const Settings& settings, Timestamp now);

// A ticket's outcome at `now` against an SLA of `sla_secs` (0: not measured).
SlaOutcome OutcomeOf(const TicketRec& t, int64_t sla_secs, int64_t now);

// An unanswered ticket's share of its SLA used at `now`, in percent (0 when answered, not
// measured or not yet opened); 100 or more is past it.
double PercentUsed(const TicketRec& t, int64_t sla_secs, int64_t now);

// Met and missed tickets, and their share met (none when nothing was measured).
struct SlaTally {
  int64_t met = 0;
  int64_t missed = 0;
  void Add(const SlaTally& o, int sign = 1) {
    met += sign * o.met;
    missed += sign * o.missed;
  }
  int64_t measured() const { return met + missed; }
  bool operator==(const SlaTally&) const = default;
};
double Attainment(const SlaTally& t);  // percent met; 0 when nothing was measured

// The tickets of one account opened in (from, to] (days), judged at the start of day `to`.
SlaTally TallyOf(std::span<const TicketRec> tickets, int64_t sla_secs, int32_t from, int32_t to);

// "3.2 h": hours with one decimal.
std::string Hours(int64_t secs);

}  // namespace orchard::engine

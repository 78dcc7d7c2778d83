// The compact records the read model keeps per account for everything the engine computes from:
// contacts, opportunities, meaningful activities and who took part, tickets, NPS responses, usage
// days, health overrides and the account plan's parts. Each keeps only the fields a computation
// reads (days as day numbers, money in cents, enums as bytes), so a million accounts with fifty
// million signal events fit in memory and a per-account question touches a few cache lines.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "domain/entities.h"

namespace orchard::engine {

inline constexpr int32_t kNoDay = INT32_MIN;    // an absent day
inline constexpr int32_t kOpenEnd = INT32_MAX;  // not ended (a line, an open ticket)

struct ContactRec {
  int64_t id = 0;
  int32_t last_engaged = kNoDay;
  int8_t role = -1;  // BuyingRole, -1: none
  uint8_t stance = 0;
  uint8_t influence = 3;
  uint8_t active = 1;         // status active now
  int32_t departed = kNoDay;  // a departed contact's last day there (kNoDay: not recorded)
  // Still there on `day`: active now, or departed after it.
  bool ActiveOn(int32_t day) const { return active != 0 || day < departed; }
  bool operator==(const ContactRec&) const = default;
};

struct OpportunityRec {
  int64_t id = 0;
  int64_t amount_cents = 0;
  int32_t created = 0;
  int32_t close = 0;  // kNoCloseDate: an open deal without a close date yet
  static constexpr int32_t kNoCloseDate = INT32_MAX;
  uint8_t type = 0;   // OpportunityType
  uint8_t stage = 0;  // OpportunityStage
  // Upsell or cross-sell: what the expansion pipeline counts.
  bool IsExpansion() const {
    return type == static_cast<uint8_t>(OpportunityType::kUpsell) ||
           type == static_cast<uint8_t>(OpportunityType::kCrossSell);
  }
  bool IsOpen() const { return stage < static_cast<uint8_t>(OpportunityStage::kClosedWon); }
  bool CreatedIn(int32_t from, int32_t to) const { return created >= from && created <= to; }
  bool operator==(const OpportunityRec&) const = default;
};

// Only meaningful activities are kept: nothing the engine computes counts the others.
struct ActivityRec {
  int64_t id = 0;
  int32_t day = 0;
  bool operator==(const ActivityRec&) const = default;
};

// One contact's part in one activity (kept whether or not the activity is meaningful, so that an
// activity turned meaningful later counts its people at once).
struct ParticipantRec {
  int64_t id = 0;  // the activity
  int64_t contact_id = 0;
  bool operator==(const ParticipantRec&) const = default;
};

// One span of an account's ownership: `owner` (a dense owner index) from day `id` on — kNoDay
// for "from the start" — until the next span. Keyed by that day, so the spans are in order.
struct OwnerSpanRec {
  int64_t id = 0;  // the first day
  uint32_t owner = 0;
  bool operator==(const OwnerSpanRec&) const = default;
};

// A ticket or a customer request. What the response SLA needs (engine/sla.h) is kept to the
// second: when it was opened and how long its first response took.
struct TicketRec {
  static constexpr int32_t kUnanswered = -1;   // no first response yet
  static constexpr int32_t kNotMeasured = -2;  // closed without a time to measure by
  int64_t id = 0;
  int64_t opened_at = 0;  // unix seconds
  int32_t opened = 0;
  int32_t closed = kOpenEnd;  // the day it was closed; kOpenEnd while open or pending
  // Seconds from opening to the first response (a ticket closed unanswered: to its closing).
  int32_t response = kUnanswered;
  uint8_t severity = 0;  // TicketSeverity
  uint8_t escalated = 0;
  uint8_t channel = 0;  // TicketChannel
  bool operator==(const TicketRec&) const = default;
};

struct NpsRec {
  int64_t id = 0;
  int32_t day = 0;
  int32_t score = 0;
  bool operator==(const NpsRec&) const = default;
};

// One scored text (text_sentiments): its day, score in thousandths and source (an index of
// kTextSources). The health's sentiment component reads these.
struct SentimentRec {
  int64_t id = 0;         // the text_sentiments row
  int64_t source_id = 0;  // the text's row
  int32_t day = 0;
  int16_t score_milli = 0;
  uint8_t source = 0;
  bool operator==(const SentimentRec&) const = default;
};

struct UsageRec {
  int64_t id = 0;
  int32_t day = 0;
  int32_t active_users = 0;
  int32_t seats = 0;
  bool operator==(const UsageRec&) const = default;
};

struct OverrideRec {
  int64_t id = 0;
  int32_t set_on = 0;
  int32_t expires = 0;  // the last day it holds
  int32_t score = 0;
  std::string reason;
  bool operator==(const OverrideRec&) const = default;
};

// The plan itself: one per account at most.
struct PlanRec {
  int64_t id = 0;
  int32_t reviewed = kNoDay;
  int32_t changed = kNoDay;
  bool operator==(const PlanRec&) const = default;
};

struct PriorityRec {
  int64_t id = 0;
  bool operator==(const PriorityRec&) const = default;
};

struct RiskRec {
  int64_t id = 0;
  uint8_t has_owner = 0;
  uint8_t status = 0;  // RiskStatus
  bool operator==(const RiskRec&) const = default;
};

struct CellRec {
  int64_t id = 0;
  int64_t potential_cents = 0;
  uint8_t status = 0;  // WhitespaceStatus
  bool operator==(const CellRec&) const = default;
};

struct ActionRec {
  int64_t id = 0;
  int32_t due = kNoDay;
  uint8_t has_owner = 0;
  uint8_t status = 0;  // ActionStatus
  bool operator==(const ActionRec&) const = default;
};

// One version of the plan (plan_versions): the day it was written and which parts the plan had
// then, read from its snapshot — what the models see of a plan on a past day (predict/features.h).
struct PlanVersionRec {
  static constexpr uint8_t kPriority = 1, kRisk = 2, kWhitespace = 4, kOpenAction = 8;
  int64_t id = 0;
  int32_t day = kNoDay;
  uint8_t parts = 0;  // kPriority | kRisk | …
  bool operator==(const PlanVersionRec&) const = default;
};

// Records of one kind, grouped by account slot and sorted by id within it (ids grow, so an insert
// is nearly always an append).
template <class Rec>
class PerAccount {
 public:
  void Grow(size_t slots) {
    if (by_slot_.size() < slots) by_slot_.resize(slots);
  }
  std::span<const Rec> Of(size_t slot) const {
    return slot < by_slot_.size() ? std::span<const Rec>(by_slot_[slot]) : std::span<const Rec>();
  }
  // Replaces the record with the same id, or adds it.
  void Put(size_t slot, Rec rec) {
    Grow(slot + 1);
    auto& v = by_slot_[slot];
    auto at = std::lower_bound(v.begin(), v.end(), rec.id,
                               [](const Rec& r, int64_t id) { return r.id < id; });
    if (at != v.end() && at->id == rec.id) {
      *at = std::move(rec);
    } else {
      v.insert(at, std::move(rec));
    }
  }
  // Adds a record beside any with the same id (the participants of one activity).
  void Add(size_t slot, Rec rec) {
    Grow(slot + 1);
    auto& v = by_slot_[slot];
    auto at = std::upper_bound(v.begin(), v.end(), rec.id,
                               [](int64_t id, const Rec& r) { return id < r.id; });
    v.insert(at, std::move(rec));
  }
  // Removes every record with this id (participants: all of one activity).
  bool Erase(size_t slot, int64_t id) {
    if (slot >= by_slot_.size()) return false;
    return std::erase_if(by_slot_[slot], [&](const Rec& r) { return r.id == id; }) > 0;
  }
  template <class Pred>
  void EraseIf(size_t slot, Pred pred) {
    if (slot < by_slot_.size()) std::erase_if(by_slot_[slot], pred);
  }
  void Clear(size_t slot) {
    if (slot < by_slot_.size()) by_slot_[slot].clear();
  }
  size_t Count() const {
    size_t n = 0;
    for (const auto& v : by_slot_) n += v.size();
    return n;
  }
  size_t Bytes() const {
    size_t n = by_slot_.capacity() * sizeof(std::vector<Rec>);
    for (const auto& v : by_slot_) n += v.capacity() * sizeof(Rec);
    return n;
  }

 private:
  std::vector<std::vector<Rec>> by_slot_;
};

}  // namespace orchard::engine

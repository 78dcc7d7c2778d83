// Hand-built books for the engine's unit tests: contract lines by dollars and days, and signals
// (usage, tickets, NPS, meaningful activities with their people, contacts, plans), ids in order.
#pragma once

#include <optional>
#include <vector>

#include "engine/read_model.h"

namespace orchard::engine::testing {

inline Date D(const char* text) { return *Date::Parse(text); }

class BookBuilder {
 public:
  explicit BookBuilder(ReadModel& model) : model_(model) {}

  // A line of `dollars` ARR from `start` to `end` (open-ended without one); ids 1, 2, 3, …
  void AddLine(int64_t account, int64_t dollars, const char* start,
               std::optional<const char*> end = std::nullopt) {
    ContractLine l;
    l.id = ContractLineId(++next_line_);
    l.account_id = AccountId(account);
    l.arr = Money::FromDollars(dollars);
    l.start_date = D(start);
    if (end) l.end_date = D(*end);
    model_.Upsert(l);
  }

  void AddUsage(int64_t account, Date day, int64_t active, int64_t seats) {
    UsageMetric u;
    u.id = UsageMetricId(++next_);
    u.account_id = AccountId(account);
    u.day = day;
    u.active_users = active;
    u.licensed_seats = seats;
    model_.Upsert(u);
  }
  int64_t AddTicket(int64_t account, Date opened, TicketSeverity severity, bool escalated = false,
                    std::optional<Date> closed = std::nullopt) {
    Ticket t;
    t.id = TicketId(++next_);
    t.account_id = AccountId(account);
    t.opened_at = Timestamp::At(opened, 9);
    t.severity = severity;
    t.escalated = escalated;
    if (closed) {
      t.closed_at = Timestamp::At(*closed, 17);
      t.status = TicketStatus::kClosed;
    }
    model_.Upsert(t);
    return t.id.value;
  }
  void AddNps(int64_t account, Date day, int score) {
    NpsResponse n;
    n.id = NpsResponseId(++next_);
    n.account_id = AccountId(account);
    n.responded_on = day;
    n.score = score;
    model_.Upsert(n);
  }
  int64_t AddContact(int64_t account, std::optional<BuyingRole> role = std::nullopt,
                     ContactStatus status = ContactStatus::kActive,
                     Stance stance = Stance::kNeutral) {
    Contact c;
    c.id = ContactId(++next_);
    c.account_id = AccountId(account);
    c.buying_role = role;
    c.status = status;
    c.stance = stance;
    model_.Upsert(c);
    return c.id.value;
  }
  // A meaningful activity (or not) on `day` with these contacts taking part.
  int64_t AddActivity(int64_t account, Date day, std::vector<int64_t> people = {},
                      bool meaningful = true) {
    Activity a;
    a.id = ActivityId(++next_);
    a.account_id = AccountId(account);
    a.meaningful = meaningful;
    a.occurred_at = Timestamp::At(day, 10);
    model_.Upsert(a);
    model_.SetParticipants(a.id.value, account, people);
    return a.id.value;
  }
  void AddOverride(int64_t account, Date set_on, Date expires, int score, const char* reason) {
    HealthOverride o;
    o.id = HealthOverrideId(++next_);
    o.account_id = AccountId(account);
    o.created_at = Timestamp::At(set_on, 8);
    o.expires_on = expires;
    o.score = score;
    o.reason = reason;
    model_.Upsert(o);
  }
  int64_t AddPlan(int64_t account, Date changed, std::optional<Date> reviewed = std::nullopt) {
    AccountPlan p;
    p.id = PlanId(++next_);
    p.account_id = AccountId(account);
    p.updated_at = Timestamp::At(changed, 12);
    if (reviewed) p.last_reviewed_at = Timestamp::At(*reviewed, 12);
    model_.Upsert(p);
    return p.id.value;
  }
  void AddOpportunity(int64_t account, OpportunityType type, OpportunityStage stage,
                      int64_t dollars, Date created) {
    Opportunity o;
    o.id = OpportunityId(++next_);
    o.account_id = AccountId(account);
    o.type = type;
    o.stage = stage;
    o.amount = Money::FromDollars(dollars);
    o.created_on = created;
    o.close_date = created.AddDays(90);
    model_.Upsert(o);
  }

 private:
  ReadModel& model_;
  int64_t next_line_ = 0;
  int64_t next_ = 1000;  // every other row
};

}  // namespace orchard::engine::testing

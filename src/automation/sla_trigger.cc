// The response SLA's triggers (automation/triggers.h's SlaStates): the arithmetic is
// engine/sla.h's; this says which tickets a rule acts on and why, in words.
#include <algorithm>
#include <cmath>

#include "automation/triggers.h"

namespace orchard::automation {

namespace {

constexpr int64_t kDay = 86400;

std::string TicketWords(const engine::TicketRec& t, int tier, int64_t sla_secs, int64_t now) {
  const char* what =
      t.channel == static_cast<uint8_t>(TicketChannel::kRequest) ? "request " : "ticket ";
  const double used = engine::PercentUsed(t, sla_secs, now);
  return what + std::to_string(t.id) + " opened " + engine::Hours(now - t.opened_at) + " ago, " +
         std::to_string(static_cast<int64_t>(std::floor(used))) + " % of tier " +
         std::to_string(tier + 1) + "'s " + std::to_string(sla_secs / 3600) + " h SLA, unanswered";
}

}  // namespace

std::vector<TriggerState> SlaStates(const Trigger& t, const engine::ReadModel& model,
                                    const engine::DayColumns& day, size_t slot,
                                    const engine::SlaNow& sla, bool words) {
  std::vector<TriggerState> out;
  const int tier = day.summary[slot].tier % 3;
  const int64_t secs = sla.secs[tier];
  if (secs <= 0) return out;  // the help desk's tier: not measured
  std::vector<std::pair<double, const engine::TicketRec*>> held;
  for (const engine::TicketRec& r : model.tickets(slot)) {
    if (r.response != engine::TicketRec::kUnanswered || r.opened_at > sla.now) continue;
    const int64_t elapsed = sla.now - r.opened_at;
    const double used = engine::PercentUsed(r, secs, sla.now);
    const bool holds = t.kind == TriggerKind::kSlaAtRisk
                           ? elapsed <= secs && used >= t.percent
                           : elapsed > secs && elapsed - secs <= t.catch_up_days * kDay;
    if (holds) held.emplace_back(used, &r);
  }
  std::sort(held.begin(), held.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second->id < b.second->id;
  });
  for (const auto& [used, r] : held) {
    TriggerState st;
    st.holds = true;
    st.anchor = "ticket:" + std::to_string(r->id);
    if (words) st.text = TicketWords(*r, tier, secs, sla.now);
    out.push_back(std::move(st));
  }
  return out;
}

TriggerState SlaState(const Trigger& t, const engine::ReadModel& model,
                      const engine::DayColumns& day, size_t slot, const engine::SlaNow& sla,
                      bool words) {
  std::vector<TriggerState> held = SlaStates(t, model, day, slot, sla, words);
  if (!held.empty()) return std::move(held.front());
  TriggerState out;
  if (!words) return out;
  const int tier = day.summary[slot].tier % 3;
  const int64_t secs = sla.secs[tier];
  if (secs <= 0) {
    out.text = "tier " + std::to_string(tier + 1) +
               " is served by the help desk: no response SLA is measured";
    return out;
  }
  // The unanswered ticket that has used the most of its SLA, to say how far it is.
  const engine::TicketRec* worst = nullptr;
  for (const engine::TicketRec& r : model.tickets(slot)) {
    if (r.response != engine::TicketRec::kUnanswered || r.opened_at > sla.now) continue;
    if (worst == nullptr || r.opened_at < worst->opened_at) worst = &r;
  }
  const std::string sla_words =
      "tier " + std::to_string(tier + 1) + "'s SLA is " + std::to_string(secs / 3600) + " h";
  if (worst == nullptr) {
    out.text = "no ticket or request is waiting for a first response (" + sla_words + ")";
  } else if (t.kind == TriggerKind::kSlaAtRisk) {
    out.text = TicketWords(*worst, tier, secs, sla.now) +
               (sla.now - worst->opened_at > secs
                    ? "; it is past its SLA already (sla_breached's)"
                    : "; the rule acts at " + std::to_string(t.percent) + " %");
  } else {
    out.text =
        TicketWords(*worst, tier, secs, sla.now) +
        (sla.now - worst->opened_at > secs ? "; it was breached more than its catch-up of " +
                                                 std::to_string(t.catch_up_days) + " days ago"
                                           : "; the rule acts once it is past its SLA");
  }
  return out;
}

}  // namespace orchard::automation

// The response SLA's arithmetic (engine/sla.h).
#include "engine/sla.h"

#include <cstdio>

namespace orchard::engine {

SlaNow SlaNowOf(const Settings& settings, Timestamp now) {
  SlaNow out;
  out.now = now.unix_seconds();
  for (size_t i = 0; i < out.secs.size(); ++i) {
    out.secs[i] = int64_t{settings.coverage[i].response_sla_hours} * 3600;
  }
  return out;
}

SlaOutcome OutcomeOf(const TicketRec& t, int64_t sla_secs, int64_t now) {
  if (sla_secs <= 0 || t.response == TicketRec::kNotMeasured) return SlaOutcome::kNotMeasured;
  if (t.response != TicketRec::kUnanswered) {
    return t.response <= sla_secs ? SlaOutcome::kMet : SlaOutcome::kMissed;
  }
  return now - t.opened_at > sla_secs ? SlaOutcome::kMissed : SlaOutcome::kPending;
}

double PercentUsed(const TicketRec& t, int64_t sla_secs, int64_t now) {
  if (sla_secs <= 0 || t.response != TicketRec::kUnanswered || now <= t.opened_at) return 0;
  return 100.0 * static_cast<double>(now - t.opened_at) / static_cast<double>(sla_secs);
}

double Attainment(const SlaTally& t) {
  return t.measured() == 0 ? 0.0
                           : 100.0 * static_cast<double>(t.met) / static_cast<double>(t.measured());
}

SlaTally TallyOf(std::span<const TicketRec> tickets, int64_t sla_secs, int32_t from, int32_t to) {
  SlaTally out;
  if (sla_secs <= 0) return out;
  const int64_t judged = int64_t{to} * 86400;
  for (const TicketRec& t : tickets) {
    if (t.opened <= from || t.opened > to) continue;
    const SlaOutcome o = OutcomeOf(t, sla_secs, judged);
    if (o == SlaOutcome::kMet) ++out.met;
    if (o == SlaOutcome::kMissed) ++out.missed;
  }
  return out;
}

std::string Hours(int64_t secs) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f h", static_cast<double>(secs) / 3600.0);
  return buf;
}

}  // namespace orchard::engine

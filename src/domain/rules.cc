#include "domain/rules.h"

#include "domain/tiers.h"

namespace orchard {

std::string IntRange::Text() const {
  return "from " + std::to_string(lo) + " to " + std::to_string(hi);
}

Status ValidateRules(const Account& a) {
  if (a.name.empty()) return FailValue("name", "must not be empty");
  if (a.employees < 0) return FailValue("employees", "must not be negative");
  return ValidateTierOverride(a);
}

Status ValidateRules(const ContractLine& l) { return ValidateContractLine(l); }

Status ValidateRules(const Contact& c) {
  if (!kInfluence.Holds(c.influence)) return FailValue("influence", "must be " + kInfluence.Text());
  if (c.reports_to_id && c.id.valid() && *c.reports_to_id == c.id) {
    return FailValue("reports_to_id", "a contact cannot report to themselves");
  }
  return Ok();
}

Status ValidateRules(const NpsResponse& r) {
  if (!kNpsScore.Holds(r.score)) return FailValue("score", "must be " + kNpsScore.Text());
  return Ok();
}

Status ValidateRules(const Opportunity& o) {
  if (o.amount.cents() < 0) return FailValue("amount_cents", "must not be negative");
  if (o.name.empty()) return FailValue("name", "must not be empty");
  // An open deal may have no close date yet; a closed one has the day it closed.
  const bool closed =
      o.stage == OpportunityStage::kClosedWon || o.stage == OpportunityStage::kClosedLost;
  if (closed && !o.close_date)
    return FailValue("close_date", "is required for a closed opportunity");
  return Ok();
}

Status ValidateRules(const Transcript& t) {
  if (t.text.size() > kMaxTranscriptBytes) {
    return FailValue("text", "is " + std::to_string(t.text.size()) +
                                 " bytes; a transcript holds at most 200000 bytes");
  }
  return Ok();
}

Status ValidateRules(const Ticket& t) {
  if (t.satisfaction && !kSatisfaction.Holds(*t.satisfaction)) {
    return FailValue("satisfaction", "must be " + kSatisfaction.Text() + ", or empty");
  }
  if (t.first_response_at && *t.first_response_at < t.opened_at) {
    return FailValue("first_response_at", "must not be before opened_at (" +
                                              t.opened_at.ToIso8601() +
                                              "): a ticket is answered after it is opened");
  }
  return Ok();
}

Status ValidateRules(const User& u) {
  if (u.email.find('@') == std::string::npos) return FailValue("email", "is not an e-mail address");
  return Ok();
}

Status ValidateRules(const UsageMetric& u) {
  if (u.active_users < 0 || u.licensed_seats < 0) {
    return FailValue("active_users", "usage figures must not be negative");
  }
  return Ok();
}

Status ValidateRules(const WhitespaceCell& c) {
  if (c.potential.cents() < 0) return FailValue("potential_cents", "must not be negative");
  if (c.status == WhitespaceStatus::kCompetitor && (!c.competitor || c.competitor->empty())) {
    return FailValue("competitor", "a competitor cell names the competitor");
  }
  if (c.potential_source == PotentialSource::kSized) {
    if (!kSizedAdoptionBp.Holds(c.adoption_bp)) {
      return FailValue("adoption_bp", "a sized cell needs an adoption assumption " +
                                          kSizedAdoptionBp.Text() +
                                          " basis points (0.01% to 100%)");
    }
  } else if (!kAdoptionBp.Holds(c.adoption_bp)) {
    return FailValue("adoption_bp", "must be " + kAdoptionBp.Text() + " basis points");
  }
  return Ok();
}

}  // namespace orchard

// The closed vocabularies of the domain (roles, stages, stances, …). Each enum has one list of
// names, used for the database, the API, the CLI and imports alike: the stored text is the name.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.h"

namespace orchard {

template <class E>
struct EnumTraits;  // specialised below: kLabel (what it is called in errors) and kNames

#define ORCHARD_ENUM_TRAITS(E, label, ...)                                         \
  template <>                                                                      \
  struct EnumTraits<E> {                                                           \
    static constexpr std::string_view kLabel = label;                              \
    static constexpr auto kNames = std::to_array<std::string_view>({__VA_ARGS__}); \
  }

enum class Role { kAdmin, kLeader, kManager, kAm, kCsm, kViewer };
ORCHARD_ENUM_TRAITS(Role, "role", "admin", "leader", "manager", "am", "csm", "viewer");

enum class Tier { kStrategic = 0, kCore = 1, kVolume = 2 };  // tier 1, 2, 3
ORCHARD_ENUM_TRAITS(Tier, "tier", "1", "2", "3");

enum class Potential { kHigh, kMedium, kLow };
ORCHARD_ENUM_TRAITS(Potential, "growth potential", "high", "medium", "low");

enum class Quadrant { kInvest, kProtect, kDevelop, kAutomate };
ORCHARD_ENUM_TRAITS(Quadrant, "quadrant", "invest", "protect", "develop", "automate");

enum class LifecycleStage { kOnboarding, kAdopting, kExpanding, kRenewing, kAtRisk, kChurned };
ORCHARD_ENUM_TRAITS(LifecycleStage, "lifecycle stage", "onboarding", "adopting", "expanding",
                    "renewing", "at_risk", "churned");

enum class DivisionKind { kBusinessUnit, kBuyingCentre, kPlant, kRegion };
ORCHARD_ENUM_TRAITS(DivisionKind, "division kind", "business_unit", "buying_centre", "plant",
                    "region");

enum class BuyingRole {
  kEconomicBuyer,
  kChampion,
  kDecisionMaker,
  kTechnicalEvaluator,
  kInfluencer,
  kUser,
  kCoach,
  kBlocker
};
ORCHARD_ENUM_TRAITS(BuyingRole, "buying role", "economic_buyer", "champion", "decision_maker",
                    "technical_evaluator", "influencer", "user", "coach", "blocker");

enum class Stance { kChampion, kSupporter, kNeutral, kDetractor, kBlocker };
ORCHARD_ENUM_TRAITS(Stance, "stance", "champion", "supporter", "neutral", "detractor", "blocker");

enum class ContactStatus { kActive, kDeparted };
ORCHARD_ENUM_TRAITS(ContactStatus, "contact status", "active", "departed");

enum class OpportunityType { kNewBusiness, kRenewal, kUpsell, kCrossSell };
ORCHARD_ENUM_TRAITS(OpportunityType, "opportunity type", "new_business", "renewal", "upsell",
                    "cross_sell");

enum class OpportunityStage {
  kProspecting,
  kQualification,
  kDiscovery,
  kProposal,
  kNegotiation,
  kClosedWon,
  kClosedLost
};
ORCHARD_ENUM_TRAITS(OpportunityStage, "opportunity stage", "prospecting", "qualification",
                    "discovery", "proposal", "negotiation", "closed_won", "closed_lost");

enum class ActivityKind { kEmail, kCall, kMeeting, kQbr, kNote };
ORCHARD_ENUM_TRAITS(ActivityKind, "activity kind", "email", "call", "meeting", "qbr", "note");

enum class TicketSeverity { kLow, kMedium, kHigh, kUrgent };
ORCHARD_ENUM_TRAITS(TicketSeverity, "ticket severity", "low", "medium", "high", "urgent");

enum class TicketStatus { kOpen, kPending, kClosed };
ORCHARD_ENUM_TRAITS(TicketStatus, "ticket status", "open", "pending", "closed");

// Where a ticket came from: the support desk, or a customer's request to the account team (an
// e-mail asking for something). Both are measured against the response SLA.
enum class TicketChannel { kTicket, kRequest };
ORCHARD_ENUM_TRAITS(TicketChannel, "ticket channel", "ticket", "request");

enum class EngagementKind {
  kPricingPageVisit,
  kCaseStudyDownload,
  kWebinarAttended,
  kProductPageVisit,
  kJobChange
};
ORCHARD_ENUM_TRAITS(EngagementKind, "engagement signal kind", "pricing_page_visit",
                    "case_study_download", "webinar_attended", "product_page_visit", "job_change");

enum class WhitespaceStatus { kOwned, kInPipeline, kCompetitor, kOpen, kNotAFit };
ORCHARD_ENUM_TRAITS(WhitespaceStatus, "whitespace status", "owned", "in_pipeline", "competitor",
                    "open", "not_a_fit");
// The one rule of what counts as whitespace, for the plan's matrix, the account page and every
// dashboard (potential, quadrant, portfolio): the potential of open, in-pipeline and competitor
// cells — business we do not have yet, competitor cells being the displacement kind. Owned and
// not-a-fit cells never count.
constexpr bool CountsAsWhitespace(WhitespaceStatus s) {
  return s == WhitespaceStatus::kOpen || s == WhitespaceStatus::kInPipeline ||
         s == WhitespaceStatus::kCompetitor;
}
inline constexpr const char* kWhitespaceRule =
    "Whitespace potential counts open, in-pipeline and competitor cells; owned and not-a-fit "
    "cells never count.";

enum class PotentialSource { kEntered, kSized };
ORCHARD_ENUM_TRAITS(PotentialSource, "potential source", "entered", "sized");

enum class Level { kLow, kMedium, kHigh };  // risk severity and likelihood
ORCHARD_ENUM_TRAITS(Level, "level", "low", "medium", "high");

enum class RiskStatus { kOpen, kMitigating, kClosed };
ORCHARD_ENUM_TRAITS(RiskStatus, "risk status", "open", "mitigating", "closed");

enum class ActionStatus { kOpen, kInProgress, kDone, kCancelled };
ORCHARD_ENUM_TRAITS(ActionStatus, "action status", "open", "in_progress", "done", "cancelled");
// An action still to do: what the plan's completeness counts (engine/health.h) and a plan
// version's open-action part (engine/plan_parts.h).
constexpr bool IsOpen(ActionStatus s) {
  return s == ActionStatus::kOpen || s == ActionStatus::kInProgress;
}

enum class ReviewKind { kInternal, kCustomer };
ORCHARD_ENUM_TRAITS(ReviewKind, "review kind", "internal", "customer");

enum class ReviewStatus { kScheduled, kHeld, kCancelled };
ORCHARD_ENUM_TRAITS(ReviewStatus, "review status", "scheduled", "held", "cancelled");

enum class TaskStatus { kOpen, kDone, kCancelled };
ORCHARD_ENUM_TRAITS(TaskStatus, "task status", "open", "done", "cancelled");

enum class HandoffStatus { kOpen, kAccepted };
ORCHARD_ENUM_TRAITS(HandoffStatus, "handoff status", "open", "accepted");

// Beside the writes of entities, the identity events (service/auth_service.h): sign-ins (and the
// failed ones), sign-outs, a token revoked, a password changed by its user or reset by an admin.
enum class AuditAction {
  kCreate,
  kUpdate,
  kDelete,
  kSignIn,
  kSignInFailed,
  kSignOut,
  kRevoke,
  kPasswordChange,
  kPasswordReset
};
ORCHARD_ENUM_TRAITS(AuditAction, "audit action", "create", "update", "delete", "sign_in",
                    "sign_in_failed", "sign_out", "revoke", "password_change", "password_reset");

template <class E>
constexpr std::string_view ToString(E e) {
  return EnumTraits<E>::kNames[static_cast<size_t>(e)];
}

// "stance must be one of champion, supporter, neutral, detractor, blocker; got \"fan\"".
template <class E>
Result<E> ParseEnum(std::string_view text) {
  const auto& names = EnumTraits<E>::kNames;
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == text) return static_cast<E>(i);
  }
  std::string msg(EnumTraits<E>::kLabel);
  msg += " must be one of ";
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) msg += ", ";
    msg += names[i];
  }
  msg += "; got \"";
  msg += text;
  msg += "\"";
  return Fail(ErrorCode::kInvalidArgument, std::move(msg));
}

}  // namespace orchard

// The closed vocabularies of automation (issue 19, PRODUCT.md "Automation"): what can trigger a
// rule, what it can do, where a rule's version stands and where one of its actions stands. Each
// has one list of names (domain/enums.h's EnumTraits), used for the database, the API, the CLI
// and the web UI alike.
#pragma once

#include "domain/enums.h"

namespace orchard::automation {

// What starts a rule. Time triggers are states of an account on a day, checked by every pass;
// event triggers are things that happened to a row, checked right after the write commits and
// again by every pass (so nothing is missed while no server ran). Each firing is keyed by the
// thing it fired on, its anchor (automation/triggers.h).
enum class TriggerKind {
  kRenewalIn,        // time: the next renewal is N days away or less (anchor: that renewal date)
  kPlanStale,        // time: the plan is older than its tier's refresh cadence (anchor: its date)
  kReviewDue,        // time: a scheduled review is due in N days or overdue (anchor: it and its
                     // due date)
  kOnboardingDay,    // time: day N after a handoff's acceptance (anchor: the handoff)
  kNoContact,        // time: no meaningful contact for N days (anchor: the last contact's day)
  kHealthColour,     // event: the health colour changed (anchor: from → to on the day)
  kHealthDrop,       // event: health dropped ≥ X points in 7 days (anchor: the day it crossed)
  kUsageSpike,       // event: a usage metric's robust z-score over 28 days ≥ X (anchor: the day)
  kUsageDrop,        // event: … ≤ −X
  kOpportunityWon,   // event: an opportunity closed won (anchor: the opportunity)
  kOpportunityLost,  // event: … closed lost
  kContactDeparted,  // event: a champion or economic buyer departed (anchor: the contact)
  kTicketEscalated,  // event: a ticket escalated (anchor: the ticket)
  kNpsDetractor,     // event: an NPS response of 0–6 (anchor: the response)
  kSlaAtRisk,        // time: a ticket's first response is 75 % into its tier's SLA (anchor: it)
  kSlaBreached,      // time: … past the SLA (anchor: the ticket)
  kEngagementSpike,  // event: engagement signals of a day (pricing-page visits, case-study
                     // downloads, …) against the account's own 28 days, robust z ≥ X (anchor: day)
  kEngagementDrop,     // event: … ≤ −X
  kNegativeSentiment,  // event: a text (e-mail or note, ticket, NPS comment, transcript) scored
                       // at or below a threshold (anchor: sentiment:<source>:<id>)
};

enum class ActionKind {
  kTask,       // a task with a checklist and an owner
  kNotify,     // an in-app notification in a user's inbox
  kEmail,      // an e-mail over SMTP to users
  kWebhook,    // a signed JSON POST to the webhook endpoints
  kSetField,   // set one of the account's fields
  kPlaybook,   // an ordered list of tasks with relative due days and owners
  kTechTouch,  // an e-mail to the account's contacts from a template (unsubscribe honoured)
};

enum class RuleStatus { kDraft, kActive, kArchived };

}  // namespace orchard::automation

namespace orchard {
ORCHARD_ENUM_TRAITS(automation::TriggerKind, "trigger", "renewal_in", "plan_stale", "review_due",
                    "onboarding_day", "no_contact", "health_colour", "health_drop", "usage_spike",
                    "usage_drop", "opportunity_won", "opportunity_lost", "contact_departed",
                    "ticket_escalated", "nps_detractor", "sla_at_risk", "sla_breached",
                    "engagement_spike", "engagement_drop", "negative_sentiment");
ORCHARD_ENUM_TRAITS(automation::ActionKind, "action", "task", "notify", "email", "webhook",
                    "set_field", "playbook", "tech_touch");
ORCHARD_ENUM_TRAITS(automation::RuleStatus, "rule status", "draft", "active", "archived");
}  // namespace orchard

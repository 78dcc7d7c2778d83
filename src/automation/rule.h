// A rule's definition (issue 19): its trigger, its condition (automation/condition.h, over the
// account's fields of automation/account_fields.h), its actions, its cooldown and its daily cap.
// Stored as JSON (rules.definition and each rule_versions row); ParseDefinition is the one reader
// of that JSON — the API's body, the stored rows and the shipped defaults all go through it — and
// refuses anything it cannot act on, naming the path ("actions[1].owner: …"). DefinitionJson is
// its inverse: ParseDefinition(DefinitionJson(d)) == d.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "automation/vocabulary.h"
#include "core/result.h"

namespace orchard::automation {

struct Trigger {
  TriggerKind kind = TriggerKind::kRenewalIn;
  // renewal_in: the mark, in days before the renewal; no_contact: days without a meaningful
  // contact; onboarding_day: the day after the handoff's acceptance; review_due: days before the
  // review's due date (0: on the day).
  int days = 90;
  std::array<int, 3> days_by_tier{0, 0, 0};  // renewal_in: a tier's own mark (0: `days`)
  // How late a mark still fires: a server down over the 90-day mark fires when it returns, and a
  // rule switched on acts on marks crossed in this many days before, not on every account past it.
  int catch_up_days = 30;
  int points = 15;                      // health_drop: the fall, in points, within 7 days
  std::vector<std::string> to;          // health_colour: the colours it fires on entering
  std::vector<std::string> from;        // … and leaving (empty: any)
  std::string metric = "active_users";  // usage_spike / usage_drop
  double z = 3.0;  // usage_ and engagement_spike / _drop: the robust z-score's size
  // engagement_spike / engagement_drop: the signals counted (the buying signals by default).
  std::vector<EngagementKind> signals{EngagementKind::kPricingPageVisit,
                                      EngagementKind::kCaseStudyDownload};
  std::optional<ReviewKind> review;  // review_due: internal or customer reviews only (none: any)
  int percent = 75;     // sla_at_risk: the share of the SLA an unanswered ticket has used
  double score = -0.5;  // negative_sentiment: fires at this score or below
  std::vector<std::string> sources;  // … of these sources only (kTextSources; empty: any)
  bool operator==(const Trigger&) const = default;

  int DaysFor(int tier_index) const {
    return days_by_tier[tier_index] > 0 ? days_by_tier[tier_index] : days;
  }
};

// Who an action is for. am / csm / sponsor: the account's; user: one by e-mail; admins: every
// active admin; round_robin / fewest_accounts: among a manager's team (the manager by e-mail).
enum class AssigneeKind { kAm, kCsm, kSponsor, kUser, kAdmins, kRoundRobin, kFewestAccounts };
struct Assignee {
  AssigneeKind kind = AssigneeKind::kAm;
  std::string email;  // user; round_robin and fewest_accounts: the team's manager
  bool operator==(const Assignee&) const = default;
  std::string Text() const;  // "am", "user:ana@x.example", "round_robin:lead@x.example"
};

struct PlaybookStep {
  std::string title;
  int due_in_days = 0;
  Assignee owner;
  std::vector<std::string> checklist;
  bool operator==(const PlaybookStep&) const = default;
};

struct Action {
  ActionKind kind = ActionKind::kTask;
  std::string title;                   // task, notify; a playbook's name
  std::string body;                    // task's description, notify, email, tech_touch
  std::string subject;                 // email, tech_touch
  std::vector<std::string> checklist;  // task
  Assignee owner;                      // task
  int due_in_days = 7;                 // task
  std::vector<Assignee> to;            // notify, email
  std::string field, value;            // set_field
  std::vector<PlaybookStep> steps;     // playbook
  std::optional<int64_t> endpoint_id;  // webhook: one endpoint (none: every subscribed one)
  std::string audience = "all";        // tech_touch: all, champion, economic_buyer
  bool operator==(const Action&) const = default;
};

struct RuleDefinition {
  Trigger trigger;
  std::string condition;  // the condition's text; empty: always
  std::vector<Action> actions;
  int cooldown_days = 0;  // after a firing, none for the same account for this long
  int cap_per_day = 500;  // firings a day; at the cap the rule pauses (automation/runner.h)
  bool operator==(const RuleDefinition&) const = default;
};

// Reads a definition from its JSON text; an error names the path and what was expected. The
// condition is parsed against the account fields, so a bad one is refused with its position.
Result<RuleDefinition> ParseDefinition(std::string_view json);
std::string DefinitionJson(const RuleDefinition& d);

// The set_field fields a rule may write, and which condition fields each write can change.
struct WritableField {
  std::string_view name;
  std::string_view description;
  std::vector<std::string_view> changes;  // the account fields (account_fields.h) it moves
};
const std::vector<WritableField>& WritableFields();

// The account fields a rule reads: its condition's and its trigger's.
std::vector<std::string> FieldsRead(const RuleDefinition& d);
// The account fields a rule's actions change.
std::vector<std::string> FieldsWritten(const RuleDefinition& d);

// Whether the active rules, with `candidate` (id 0 for a new rule) in place of its stored self,
// form a cycle: a rule whose action writes a field that its own or another rule's trigger or
// condition reads, back to itself. The error names the cycle:
// "rule 'A' sets strategic, which rule 'B' reads; rule 'B' sets …, which rule 'A' reads".
struct NamedRule {
  int64_t id = 0;
  std::string name;
  RuleDefinition definition;
};
Status CheckNoCycle(const std::vector<NamedRule>& active, const NamedRule& candidate);

// What changed between two versions: one line per changed part ("condition: 'a' → 'b'").
std::vector<std::string> DiffDefinitions(const RuleDefinition& before, const RuleDefinition& after);

// Placeholders a text may use ({{account.name}}, …); an unknown one is an error naming it.
Status CheckTemplate(std::string_view path, std::string_view text, bool for_contacts);

}  // namespace orchard::automation

// The entities of PRODUCT.md as plain values. Each maps to one table named after it (plural
// snake_case) with one column per field, in the order declared in schema.h. Nullable fields are
// std::optional. Money is integer cents, days are Date, instants are Timestamp, ids are strong.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/ids.h"
#include "core/money.h"
#include "domain/enums.h"

namespace orchard {

struct User {
  UserId id;
  std::string email;
  std::string name;
  Role role = Role::kViewer;
  std::optional<UserId> manager_id;  // the user's team lead (for managers' books)
  std::string password_hash;         // Argon2id, never the password
  bool active = true;
  Timestamp created_at;
  std::string office;  // the regional office of a sales-teams file, as imported ("" if none)
  // The user's id in another system (an import's owner column may name them by it).
  std::optional<std::string> external_source;
  std::optional<std::string> external_id;
};

struct Account {
  AccountId id;
  std::string name;
  std::optional<AccountId> parent_id;
  std::optional<UserId> owner_id;  // the AM
  std::optional<UserId> csm_id;
  std::optional<UserId> sponsor_id;  // executive sponsor (tier 1)
  std::optional<std::string> salesforce_id;
  std::optional<std::string> hubspot_id;
  std::string industry;
  std::string region;
  int64_t employees = 0;
  std::optional<Potential> growth_potential;  // set by hand; else derived from whitespace
  bool strategic = false;
  std::optional<Tier> tier_override;
  std::optional<std::string> tier_override_reason;
  LifecycleStage lifecycle_stage = LifecycleStage::kOnboarding;
  Timestamp created_at;
  Timestamp updated_at;
  int64_t version = 1;  // optimistic concurrency: an update names the version it read
  // The row's id in any other system (external_source names it, e.g. "ravenstack"): imports
  // match on (source, id) as on salesforce_id and hubspot_id.
  std::optional<std::string> external_source;
  std::optional<std::string> external_id;
};

struct Division {
  DivisionId id;
  AccountId account_id;
  std::string name;
  DivisionKind kind = DivisionKind::kBusinessUnit;
  int64_t headcount = 0;
  std::optional<UserId> covered_by_id;  // a supporting role (SE, CSM) covering this buying centre
};

struct Product {
  ProductId id;
  std::string sku;
  std::string name;
  std::string family;
  Money list_price;  // per seat per year
  bool active = true;
};

// One line of a contract: the ARR history from which every retention metric comes.
struct ContractLine {
  ContractLineId id;
  AccountId account_id;
  ProductId product_id;
  std::optional<DivisionId> division_id;
  Money arr;
  Date start_date;
  std::optional<Date> end_date;  // last day of service; none = open-ended
  std::optional<std::string> salesforce_id;
  // The row's id in any other system (external_source names it, e.g. "ravenstack"): imports
  // match on (source, id) as on salesforce_id and hubspot_id.
  std::optional<std::string> external_source;
  std::optional<std::string> external_id;
};

struct Contact {
  ContactId id;
  AccountId account_id;
  std::optional<DivisionId> division_id;
  std::string first_name;
  std::string last_name;
  std::string email;
  std::string title;
  std::optional<BuyingRole> buying_role;
  Stance stance = Stance::kNeutral;
  int influence = 3;  // 1–5
  std::optional<ContactId> reports_to_id;
  std::optional<UserId> relationship_owner_id;
  ContactStatus status = ContactStatus::kActive;
  std::optional<Date> last_engaged_on;
  std::optional<std::string> salesforce_id;
  std::optional<std::string> hubspot_id;
  int64_t version = 1;
  // The row's id in any other system (external_source names it, e.g. "ravenstack"): imports
  // match on (source, id) as on salesforce_id and hubspot_id.
  std::optional<std::string> external_source;
  std::optional<std::string> external_id;
  // The day they left (status departed): stamped by the server when the status changes, unless
  // given; none while active, or when no one recorded it (then gone on every past day too).
  std::optional<Date> departed_on;
};

struct Opportunity {
  OpportunityId id;
  AccountId account_id;
  std::string name;
  OpportunityType type = OpportunityType::kNewBusiness;
  OpportunityStage stage = OpportunityStage::kProspecting;
  Money amount;
  Date created_on;
  std::optional<Date> close_date;  // none: an open deal without one yet (closed ones have it)
  std::optional<ProductId> product_id;
  std::optional<DivisionId> division_id;
  std::optional<UserId> owner_id;
  std::optional<std::string> lost_reason;
  std::optional<std::string> salesforce_id;
  std::optional<std::string> hubspot_id;
  int64_t version = 1;
  // The row's id in any other system (external_source names it, e.g. "ravenstack"): imports
  // match on (source, id) as on salesforce_id and hubspot_id.
  std::optional<std::string> external_source;
  std::optional<std::string> external_id;
};

struct Activity {
  ActivityId id;
  AccountId account_id;
  ActivityKind kind = ActivityKind::kEmail;
  bool meaningful = false;  // a real two-way conversation, not every email
  Timestamp occurred_at;
  std::optional<UserId> user_id;
  std::string subject;
  std::string body;
};

// Which contacts took part in an activity (multithreading depth counts these).
struct ActivityContact {
  ActivityId activity_id;
  ContactId contact_id;
};

struct Ticket {
  TicketId id;
  AccountId account_id;
  std::optional<ContactId> contact_id;
  TicketSeverity severity = TicketSeverity::kLow;
  TicketStatus status = TicketStatus::kOpen;
  bool escalated = false;
  Timestamp opened_at;
  std::optional<Timestamp> closed_at;
  std::string subject;
  std::string body;
  std::optional<int64_t> satisfaction;  // the customer's rating of its handling, 1–5 (CSAT)
  // When the account team first answered (empty while unanswered): the response SLA's measure.
  std::optional<Timestamp> first_response_at;
  TicketChannel channel = TicketChannel::kTicket;  // a support ticket or a customer request
};

struct NpsResponse {
  NpsResponseId id;
  AccountId account_id;
  std::optional<ContactId> contact_id;
  int score = 0;  // 0–10
  std::string comment;
  Date responded_on;
};

// One day of product usage for an account.
struct UsageMetric {
  UsageMetricId id;
  AccountId account_id;
  Date day;
  int64_t active_users = 0;
  int64_t licensed_seats = 0;
};

struct EngagementSignal {
  EngagementSignalId id;
  AccountId account_id;
  std::optional<ContactId> contact_id;
  EngagementKind kind = EngagementKind::kProductPageVisit;
  Timestamp occurred_at;
  std::string detail;
};

// A call's transcript (issue 20): imported or posted, attached to the meeting it records when
// there is one. Its text is scored for sentiment like an e-mail (service/sentiment_on_write.h).
struct Transcript {
  TranscriptId id;
  AccountId account_id;
  std::optional<ActivityId> activity_id;  // the meeting
  std::string text;                       // at most kMaxTranscriptBytes
  Timestamp created_at;
};
inline constexpr size_t kMaxTranscriptBytes = 200'000;

// The texts Orchard scores for sentiment, by the name text_sentiments.source stores.
inline constexpr std::array<std::string_view, 4> kTextSources = {"activity", "ticket",
                                                                 "nps_response", "transcript"};

// The sentiment of one text Orchard holds (issue 20, item 1): derived, not edited. Written by
// the services in the unit of work that writes the text (service/sentiment_on_write.h) and by
// `orchard score`; one row per source row, none for an empty text.
struct TextSentiment {
  TextSentimentId id;
  std::string source;  // activity, ticket, nps_response, transcript
  int64_t source_id = 0;
  AccountId account_id;
  std::string label;        // negative, neutral, positive
  int64_t score_milli = 0;  // the score in [-1, 1], in thousandths
  std::string phrases;      // JSON: [{text, begin, end, weight}], UTF-8 byte offsets
  Date occurred_on;         // the text's day: the activity's, the ticket's opening, …
  Timestamp scored_at;
  std::string model;  // the scoring model's data hash
};

struct AccountPlan {
  PlanId id;
  AccountId account_id;
  std::string summary;
  std::optional<Timestamp> last_reviewed_at;
  Timestamp updated_at;
  std::optional<UserId> updated_by;
  int64_t version = 1;
};

struct PlanPriority {
  PriorityId id;
  PlanId plan_id;
  std::string text;  // in the customer's own words
  std::optional<ContactId> source_contact_id;
  std::string source;  // who said it, when not a known contact
  std::optional<Date> said_on;
  int position = 0;
};

struct PlanRisk {
  RiskId id;
  PlanId plan_id;
  std::string description;
  Level severity = Level::kMedium;
  Level likelihood = Level::kMedium;
  std::string mitigation;
  std::optional<UserId> mitigation_owner_id;
  RiskStatus status = RiskStatus::kOpen;
};

struct WhitespaceCell {
  WhitespaceCellId id;
  PlanId plan_id;
  DivisionId division_id;
  ProductId product_id;
  WhitespaceStatus status = WhitespaceStatus::kOpen;
  std::optional<std::string> competitor;
  Money potential;
  PotentialSource potential_source = PotentialSource::kEntered;
  int adoption_bp = 0;  // sizing assumption in basis points (headcount × price × adoption)
  std::optional<OpportunityId> opportunity_id;
};

struct PlanAction {
  ActionId id;
  PlanId plan_id;
  std::string description;
  std::optional<UserId> owner_id;
  std::optional<Date> due_on;
  ActionStatus status = ActionStatus::kOpen;
  std::optional<PriorityId> priority_id;
  std::optional<RiskId> risk_id;
  std::optional<WhitespaceCellId> whitespace_cell_id;
};

// A snapshot of a plan after each change: who changed what, when.
struct PlanVersion {
  PlanVersionId id;
  PlanId plan_id;
  int64_t version = 1;
  std::optional<UserId> changed_by;
  Timestamp changed_at;
  std::string change_summary;
  std::string snapshot_json;
};

struct Review {
  ReviewId id;
  AccountId account_id;
  ReviewKind kind = ReviewKind::kInternal;
  ReviewStatus status = ReviewStatus::kScheduled;
  Date due_on;
  std::optional<Date> held_on;
  std::string attendees;
  std::string notes;
  std::string outcomes;
};

struct Task {
  TaskId id;
  std::optional<AccountId> account_id;
  std::string title;
  std::string description;
  std::optional<UserId> owner_id;
  std::optional<Date> due_on;
  TaskStatus status = TaskStatus::kOpen;
  std::optional<std::string> source_key;  // the rule that opened it: keeps automation idempotent
  // Its checklist: a JSON array of {"text": …, "done": true|false} ("" for none), checked by
  // the service (EntityHooks<Task>::Check) so every stored list reads back.
  std::string checklist;
  Timestamp created_at;
  std::optional<Timestamp> completed_at;  // when it was marked done (stamped by the service)
};

struct Handoff {
  HandoffId id;
  AccountId account_id;
  OpportunityId opportunity_id;
  std::optional<UserId> seller_id;
  std::optional<UserId> am_id;
  HandoffStatus status = HandoffStatus::kOpen;
  std::string checklist_json;
  Timestamp created_at;
  std::optional<Timestamp> accepted_at;
};

// A CSM's manual health score, with a reason and an expiry.
struct HealthOverride {
  HealthOverrideId id;
  AccountId account_id;
  int score = 0;
  std::string reason;
  Date expires_on;
  std::optional<UserId> set_by;
  Timestamp created_at;
};

struct AuditEntry {
  AuditEntryId id;
  std::optional<UserId> actor_id;
  Timestamp at;
  std::string entity;  // table name
  int64_t entity_id = 0;
  AuditAction action = AuditAction::kUpdate;
  std::optional<std::string> before_json;
  std::optional<std::string> after_json;
  std::optional<std::string> address;  // where a sign-in, sign-out or token change came from
};

// A signed-in browser session; the cookie holds the token, the table only its hash.
struct Session {
  SessionId id;
  UserId user_id;
  std::string token_hash;
  Timestamp created_at;
  Timestamp expires_at;  // absolute end (7 days by default)
  std::string address;
  std::optional<Timestamp> last_seen_at;  // to the minute: ends an idle session
};

// A long-lived token for integrations (Authorization: Bearer); stored as a hash.
struct ApiToken {
  ApiTokenId id;
  UserId user_id;
  std::string name;
  std::string token_hash;
  Timestamp created_at;
  std::optional<Timestamp> last_used_at;
  std::optional<Timestamp> revoked_at;
  std::optional<Timestamp> expires_at;  // none: until revoked
};

// One configurable value (tier rules, coverage, cadences, health weights).
struct Setting {
  std::string key;
  std::string value;
};

}  // namespace orchard

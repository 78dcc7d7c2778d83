// Which table each entity lives in and which column holds each field: the one description that
// the store (SQL), the API (JSON) and the importers (CSV) all read, so a field is named once.
// The DDL in store/migrations must agree; the store contract test checks that it does.
#pragma once

#include <cstddef>
#include <string_view>
#include <tuple>
#include <utility>

#include "domain/entities.h"

namespace orchard {

template <class T, class M>
struct Column {
  std::string_view name;
  M T::*member;
};

template <class T, class M>
constexpr Column<T, M> Col(std::string_view name, M T::*member) {
  return {name, member};
}

template <class T>
struct EntitySchema;

// Calls f(column) for each column of T, in table order.
template <class T, class F>
constexpr void ForEachColumn(F&& f) {
  std::apply([&](const auto&... col) { (f(col), ...); }, EntitySchema<T>::kColumns);
}

template <class T>
constexpr size_t ColumnCount() {
  return std::tuple_size_v<std::remove_cvref_t<decltype(EntitySchema<T>::kColumns)>>;
}

// Entities with a surrogate id column (all but link tables and settings).
template <class T>
concept HasId = requires(T t) {
  t.id.value;
};

// Entities with optimistic concurrency.
template <class T>
concept Versioned = requires(T t) {
  t.version;
};

template <>
struct EntitySchema<User> {
  static constexpr std::string_view kTable = "users";
  static constexpr auto kColumns = std::make_tuple(
      Col("id", &User::id), Col("email", &User::email), Col("name", &User::name),
      Col("role", &User::role), Col("manager_id", &User::manager_id),
      Col("password_hash", &User::password_hash), Col("active", &User::active),
      Col("created_at", &User::created_at), Col("office", &User::office),
      Col("external_source", &User::external_source), Col("external_id", &User::external_id));
};

template <>
struct EntitySchema<Account> {
  static constexpr std::string_view kTable = "accounts";
  static constexpr auto kColumns = std::make_tuple(
      Col("id", &Account::id), Col("name", &Account::name), Col("parent_id", &Account::parent_id),
      Col("owner_id", &Account::owner_id), Col("csm_id", &Account::csm_id),
      Col("sponsor_id", &Account::sponsor_id), Col("salesforce_id", &Account::salesforce_id),
      Col("hubspot_id", &Account::hubspot_id), Col("industry", &Account::industry),
      Col("region", &Account::region), Col("employees", &Account::employees),
      Col("growth_potential", &Account::growth_potential), Col("strategic", &Account::strategic),
      Col("tier_override", &Account::tier_override),
      Col("tier_override_reason", &Account::tier_override_reason),
      Col("lifecycle_stage", &Account::lifecycle_stage), Col("created_at", &Account::created_at),
      Col("updated_at", &Account::updated_at), Col("version", &Account::version),
      Col("external_source", &Account::external_source), Col("external_id", &Account::external_id));
};

template <>
struct EntitySchema<Division> {
  static constexpr std::string_view kTable = "divisions";
  static constexpr auto kColumns = std::make_tuple(
      Col("id", &Division::id), Col("account_id", &Division::account_id),
      Col("name", &Division::name), Col("kind", &Division::kind),
      Col("headcount", &Division::headcount), Col("covered_by_id", &Division::covered_by_id));
};

template <>
struct EntitySchema<Product> {
  static constexpr std::string_view kTable = "products";
  static constexpr auto kColumns = std::make_tuple(
      Col("id", &Product::id), Col("sku", &Product::sku), Col("name", &Product::name),
      Col("family", &Product::family), Col("list_price_cents", &Product::list_price),
      Col("active", &Product::active));
};

template <>
struct EntitySchema<ContractLine> {
  static constexpr std::string_view kTable = "contract_lines";
  static constexpr auto kColumns = std::make_tuple(
      Col("id", &ContractLine::id), Col("account_id", &ContractLine::account_id),
      Col("product_id", &ContractLine::product_id), Col("division_id", &ContractLine::division_id),
      Col("arr_cents", &ContractLine::arr), Col("start_date", &ContractLine::start_date),
      Col("end_date", &ContractLine::end_date), Col("salesforce_id", &ContractLine::salesforce_id),
      Col("external_source", &ContractLine::external_source),
      Col("external_id", &ContractLine::external_id));
};

template <>
struct EntitySchema<Contact> {
  static constexpr std::string_view kTable = "contacts";
  static constexpr auto kColumns = std::make_tuple(
      Col("id", &Contact::id), Col("account_id", &Contact::account_id),
      Col("division_id", &Contact::division_id), Col("first_name", &Contact::first_name),
      Col("last_name", &Contact::last_name), Col("email", &Contact::email),
      Col("title", &Contact::title), Col("buying_role", &Contact::buying_role),
      Col("stance", &Contact::stance), Col("influence", &Contact::influence),
      Col("reports_to_id", &Contact::reports_to_id),
      Col("relationship_owner_id", &Contact::relationship_owner_id),
      Col("status", &Contact::status), Col("last_engaged_on", &Contact::last_engaged_on),
      Col("salesforce_id", &Contact::salesforce_id), Col("hubspot_id", &Contact::hubspot_id),
      Col("version", &Contact::version), Col("external_source", &Contact::external_source),
      Col("external_id", &Contact::external_id), Col("departed_on", &Contact::departed_on));
};

template <>
struct EntitySchema<Opportunity> {
  static constexpr std::string_view kTable = "opportunities";
  static constexpr auto kColumns = std::make_tuple(
      Col("id", &Opportunity::id), Col("account_id", &Opportunity::account_id),
      Col("name", &Opportunity::name), Col("type", &Opportunity::type),
      Col("stage", &Opportunity::stage), Col("amount_cents", &Opportunity::amount),
      Col("created_on", &Opportunity::created_on), Col("close_date", &Opportunity::close_date),
      Col("product_id", &Opportunity::product_id), Col("division_id", &Opportunity::division_id),
      Col("owner_id", &Opportunity::owner_id), Col("lost_reason", &Opportunity::lost_reason),
      Col("salesforce_id", &Opportunity::salesforce_id),
      Col("hubspot_id", &Opportunity::hubspot_id), Col("version", &Opportunity::version),
      Col("external_source", &Opportunity::external_source),
      Col("external_id", &Opportunity::external_id));
};

template <>
struct EntitySchema<Activity> {
  static constexpr std::string_view kTable = "activities";
  static constexpr auto kColumns = std::make_tuple(
      Col("id", &Activity::id), Col("account_id", &Activity::account_id),
      Col("kind", &Activity::kind), Col("meaningful", &Activity::meaningful),
      Col("occurred_at", &Activity::occurred_at), Col("user_id", &Activity::user_id),
      Col("subject", &Activity::subject), Col("body", &Activity::body));
};

template <>
struct EntitySchema<ActivityContact> {
  static constexpr std::string_view kTable = "activity_contacts";
  static constexpr auto kColumns =
      std::make_tuple(Col("activity_id", &ActivityContact::activity_id),
                      Col("contact_id", &ActivityContact::contact_id));
};

template <>
struct EntitySchema<Ticket> {
  static constexpr std::string_view kTable = "tickets";
  static constexpr auto kColumns = std::make_tuple(
      Col("id", &Ticket::id), Col("account_id", &Ticket::account_id),
      Col("contact_id", &Ticket::contact_id), Col("severity", &Ticket::severity),
      Col("status", &Ticket::status), Col("escalated", &Ticket::escalated),
      Col("opened_at", &Ticket::opened_at), Col("closed_at", &Ticket::closed_at),
      Col("subject", &Ticket::subject), Col("body", &Ticket::body),
      Col("satisfaction", &Ticket::satisfaction),
      Col("first_response_at", &Ticket::first_response_at), Col("channel", &Ticket::channel));
};

template <>
struct EntitySchema<NpsResponse> {
  static constexpr std::string_view kTable = "nps_responses";
  static constexpr auto kColumns = std::make_tuple(
      Col("id", &NpsResponse::id), Col("account_id", &NpsResponse::account_id),
      Col("contact_id", &NpsResponse::contact_id), Col("score", &NpsResponse::score),
      Col("comment", &NpsResponse::comment), Col("responded_on", &NpsResponse::responded_on));
};

template <>
struct EntitySchema<UsageMetric> {
  static constexpr std::string_view kTable = "usage_metrics";
  static constexpr auto kColumns = std::make_tuple(
      Col("id", &UsageMetric::id), Col("account_id", &UsageMetric::account_id),
      Col("day", &UsageMetric::day), Col("active_users", &UsageMetric::active_users),
      Col("licensed_seats", &UsageMetric::licensed_seats));
};

template <>
struct EntitySchema<EngagementSignal> {
  static constexpr std::string_view kTable = "engagement_signals";
  static constexpr auto kColumns = std::make_tuple(
      Col("id", &EngagementSignal::id), Col("account_id", &EngagementSignal::account_id),
      Col("contact_id", &EngagementSignal::contact_id), Col("kind", &EngagementSignal::kind),
      Col("occurred_at", &EngagementSignal::occurred_at), Col("detail", &EngagementSignal::detail));
};

template <>
struct EntitySchema<Transcript> {
  static constexpr std::string_view kTable = "transcripts";
  static constexpr auto kColumns =
      std::make_tuple(Col("id", &Transcript::id), Col("account_id", &Transcript::account_id),
                      Col("activity_id", &Transcript::activity_id), Col("text", &Transcript::text),
                      Col("created_at", &Transcript::created_at));
};

template <>
struct EntitySchema<TextSentiment> {
  static constexpr std::string_view kTable = "text_sentiments";
  static constexpr auto kColumns = std::make_tuple(
      Col("id", &TextSentiment::id), Col("source", &TextSentiment::source),
      Col("source_id", &TextSentiment::source_id), Col("account_id", &TextSentiment::account_id),
      Col("label", &TextSentiment::label), Col("score_milli", &TextSentiment::score_milli),
      Col("phrases", &TextSentiment::phrases), Col("occurred_on", &TextSentiment::occurred_on),
      Col("scored_at", &TextSentiment::scored_at), Col("model", &TextSentiment::model));
};

template <>
struct EntitySchema<AccountPlan> {
  static constexpr std::string_view kTable = "account_plans";
  static constexpr auto kColumns = std::make_tuple(
      Col("id", &AccountPlan::id), Col("account_id", &AccountPlan::account_id),
      Col("summary", &AccountPlan::summary),
      Col("last_reviewed_at", &AccountPlan::last_reviewed_at),
      Col("updated_at", &AccountPlan::updated_at), Col("updated_by", &AccountPlan::updated_by),
      Col("version", &AccountPlan::version));
};

template <>
struct EntitySchema<PlanPriority> {
  static constexpr std::string_view kTable = "plan_priorities";
  static constexpr auto kColumns = std::make_tuple(
      Col("id", &PlanPriority::id), Col("plan_id", &PlanPriority::plan_id),
      Col("text", &PlanPriority::text), Col("source_contact_id", &PlanPriority::source_contact_id),
      Col("source", &PlanPriority::source), Col("said_on", &PlanPriority::said_on),
      Col("position", &PlanPriority::position));
};

template <>
struct EntitySchema<PlanRisk> {
  static constexpr std::string_view kTable = "plan_risks";
  static constexpr auto kColumns = std::make_tuple(
      Col("id", &PlanRisk::id), Col("plan_id", &PlanRisk::plan_id),
      Col("description", &PlanRisk::description), Col("severity", &PlanRisk::severity),
      Col("likelihood", &PlanRisk::likelihood), Col("mitigation", &PlanRisk::mitigation),
      Col("mitigation_owner_id", &PlanRisk::mitigation_owner_id), Col("status", &PlanRisk::status));
};

template <>
struct EntitySchema<WhitespaceCell> {
  static constexpr std::string_view kTable = "whitespace_cells";
  static constexpr auto kColumns = std::make_tuple(
      Col("id", &WhitespaceCell::id), Col("plan_id", &WhitespaceCell::plan_id),
      Col("division_id", &WhitespaceCell::division_id),
      Col("product_id", &WhitespaceCell::product_id), Col("status", &WhitespaceCell::status),
      Col("competitor", &WhitespaceCell::competitor),
      Col("potential_cents", &WhitespaceCell::potential),
      Col("potential_source", &WhitespaceCell::potential_source),
      Col("adoption_bp", &WhitespaceCell::adoption_bp),
      Col("opportunity_id", &WhitespaceCell::opportunity_id));
};

template <>
struct EntitySchema<PlanAction> {
  static constexpr std::string_view kTable = "plan_actions";
  static constexpr auto kColumns = std::make_tuple(
      Col("id", &PlanAction::id), Col("plan_id", &PlanAction::plan_id),
      Col("description", &PlanAction::description), Col("owner_id", &PlanAction::owner_id),
      Col("due_on", &PlanAction::due_on), Col("status", &PlanAction::status),
      Col("priority_id", &PlanAction::priority_id), Col("risk_id", &PlanAction::risk_id),
      Col("whitespace_cell_id", &PlanAction::whitespace_cell_id));
};

template <>
struct EntitySchema<PlanVersion> {
  static constexpr std::string_view kTable = "plan_versions";
  static constexpr auto kColumns = std::make_tuple(
      Col("id", &PlanVersion::id), Col("plan_id", &PlanVersion::plan_id),
      Col("version", &PlanVersion::version), Col("changed_by", &PlanVersion::changed_by),
      Col("changed_at", &PlanVersion::changed_at),
      Col("change_summary", &PlanVersion::change_summary),
      Col("snapshot_json", &PlanVersion::snapshot_json));
};

template <>
struct EntitySchema<Review> {
  static constexpr std::string_view kTable = "reviews";
  static constexpr auto kColumns = std::make_tuple(
      Col("id", &Review::id), Col("account_id", &Review::account_id), Col("kind", &Review::kind),
      Col("status", &Review::status), Col("due_on", &Review::due_on),
      Col("held_on", &Review::held_on), Col("attendees", &Review::attendees),
      Col("notes", &Review::notes), Col("outcomes", &Review::outcomes));
};

template <>
struct EntitySchema<Task> {
  static constexpr std::string_view kTable = "tasks";
  static constexpr auto kColumns = std::make_tuple(
      Col("id", &Task::id), Col("account_id", &Task::account_id), Col("title", &Task::title),
      Col("description", &Task::description), Col("owner_id", &Task::owner_id),
      Col("due_on", &Task::due_on), Col("status", &Task::status),
      Col("source_key", &Task::source_key), Col("created_at", &Task::created_at),
      Col("completed_at", &Task::completed_at), Col("checklist", &Task::checklist));
};

template <>
struct EntitySchema<Handoff> {
  static constexpr std::string_view kTable = "handoffs";
  static constexpr auto kColumns = std::make_tuple(
      Col("id", &Handoff::id), Col("account_id", &Handoff::account_id),
      Col("opportunity_id", &Handoff::opportunity_id), Col("seller_id", &Handoff::seller_id),
      Col("am_id", &Handoff::am_id), Col("status", &Handoff::status),
      Col("checklist_json", &Handoff::checklist_json), Col("created_at", &Handoff::created_at),
      Col("accepted_at", &Handoff::accepted_at));
};

template <>
struct EntitySchema<HealthOverride> {
  static constexpr std::string_view kTable = "health_overrides";
  static constexpr auto kColumns = std::make_tuple(
      Col("id", &HealthOverride::id), Col("account_id", &HealthOverride::account_id),
      Col("score", &HealthOverride::score), Col("reason", &HealthOverride::reason),
      Col("expires_on", &HealthOverride::expires_on), Col("set_by", &HealthOverride::set_by),
      Col("created_at", &HealthOverride::created_at));
};

template <>
struct EntitySchema<AuditEntry> {
  static constexpr std::string_view kTable = "audit_log";
  static constexpr auto kColumns = std::make_tuple(
      Col("id", &AuditEntry::id), Col("actor_id", &AuditEntry::actor_id),
      Col("at", &AuditEntry::at), Col("entity", &AuditEntry::entity),
      Col("entity_id", &AuditEntry::entity_id), Col("action", &AuditEntry::action),
      Col("before_json", &AuditEntry::before_json), Col("after_json", &AuditEntry::after_json),
      Col("address", &AuditEntry::address));
};

template <>
struct EntitySchema<Session> {
  static constexpr std::string_view kTable = "sessions";
  static constexpr auto kColumns = std::make_tuple(
      Col("id", &Session::id), Col("user_id", &Session::user_id),
      Col("token_hash", &Session::token_hash), Col("created_at", &Session::created_at),
      Col("expires_at", &Session::expires_at), Col("address", &Session::address),
      Col("last_seen_at", &Session::last_seen_at));
};

template <>
struct EntitySchema<ApiToken> {
  static constexpr std::string_view kTable = "api_tokens";
  static constexpr auto kColumns = std::make_tuple(
      Col("id", &ApiToken::id), Col("user_id", &ApiToken::user_id), Col("name", &ApiToken::name),
      Col("token_hash", &ApiToken::token_hash), Col("created_at", &ApiToken::created_at),
      Col("last_used_at", &ApiToken::last_used_at), Col("revoked_at", &ApiToken::revoked_at),
      Col("expires_at", &ApiToken::expires_at));
};

template <>
struct EntitySchema<Setting> {
  static constexpr std::string_view kTable = "settings";
  static constexpr auto kColumns =
      std::make_tuple(Col("key", &Setting::key), Col("value", &Setting::value));
};

}  // namespace orchard

// The tables of a book export (book_export.h), shared by its writer and its reader: the entity
// tables of domain/schema.h that hold the book's data, in link order (each after every table it
// links to), plus tables that keep their own SQL elsewhere — the ownership history (the account
// service's) and the automation's — described here as entities so that the same code copies
// them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/ids.h"
#include "domain/schema.h"

namespace orchard {

namespace ingest {
// One row of account_owners (migration 0005): who owned an account from `since` (NULL: from the
// start).
struct AccountOwnerRow {
  Id<struct AccountOwnerTag> id;
  AccountId account_id;
  std::optional<UserId> owner_id;
  std::optional<Date> since;
};

// The automation's tables (migration 0013): the rules as people wrote them, every saved version,
// what fired (whose unique key keeps a rule from firing twice on the same thing, so a restored
// book does not send its e-mails again), each firing's actions, the inbox, what the runner last
// saw of each account, and the addresses that asked for no more e-mail. Enums and JSON as text.
struct RuleRow {
  Id<struct RuleRowTag> id;
  std::string name, description, status;
  bool enabled = false;
  int64_t version = 0;
  std::string definition;
  std::optional<std::string> paused_reason;
  std::optional<Date> paused_on;
  std::optional<std::string> builtin_key;
  Timestamp created_at, updated_at;
  std::optional<UserId> updated_by;
};
struct RuleVersionRow {
  int64_t rule_id = 0, version = 0;
  std::string name, status, definition;
  Timestamp created_at;
  std::optional<UserId> created_by;
};
struct RuleFiringRow {
  Id<struct RuleFiringRowTag> id;
  int64_t rule_id = 0, rule_version = 0;
  AccountId account_id;
  std::string anchor;
  Date day;
  Timestamp fired_at;
  std::string facts, status;
};
struct RuleActionRow {
  int64_t firing_id = 0, idx = 0;
  std::string kind, status;
  int64_t attempts = 0;
  std::optional<Timestamp> next_attempt_at;
  std::optional<std::string> last_error;
  std::string result;
};
struct NotificationRow {
  Id<struct NotificationRowTag> id;
  UserId user_id;
  std::optional<AccountId> account_id;
  std::optional<int64_t> firing_id;
  std::optional<std::string> dedupe_key;
  std::string title, body, link;
  Timestamp created_at;
  std::optional<Timestamp> read_at;
};
struct RuleObservationRow {
  AccountId account_id;
  int64_t colour = 0, health = 0, peak_health = 0;
  Date peak_on;
};
struct EmailOptOutRow {
  std::string email;
  Timestamp opted_out_at;
};
}  // namespace ingest

template <>
struct EntitySchema<ingest::RuleRow> {
  using R = ingest::RuleRow;
  static constexpr std::string_view kTable = "rules";
  static constexpr auto kColumns =
      std::make_tuple(Col("id", &R::id), Col("name", &R::name), Col("description", &R::description),
                      Col("status", &R::status), Col("enabled", &R::enabled),
                      Col("version", &R::version), Col("definition", &R::definition),
                      Col("paused_reason", &R::paused_reason), Col("paused_on", &R::paused_on),
                      Col("builtin_key", &R::builtin_key), Col("created_at", &R::created_at),
                      Col("updated_at", &R::updated_at), Col("updated_by", &R::updated_by));
};
template <>
struct EntitySchema<ingest::RuleVersionRow> {
  using R = ingest::RuleVersionRow;
  static constexpr std::string_view kTable = "rule_versions";
  static constexpr auto kColumns = std::make_tuple(
      Col("rule_id", &R::rule_id), Col("version", &R::version), Col("name", &R::name),
      Col("status", &R::status), Col("definition", &R::definition),
      Col("created_at", &R::created_at), Col("created_by", &R::created_by));
};
template <>
struct EntitySchema<ingest::RuleFiringRow> {
  using R = ingest::RuleFiringRow;
  static constexpr std::string_view kTable = "rule_firings";
  static constexpr auto kColumns = std::make_tuple(
      Col("id", &R::id), Col("rule_id", &R::rule_id), Col("rule_version", &R::rule_version),
      Col("account_id", &R::account_id), Col("anchor", &R::anchor), Col("day", &R::day),
      Col("fired_at", &R::fired_at), Col("facts", &R::facts), Col("status", &R::status));
};
template <>
struct EntitySchema<ingest::RuleActionRow> {
  using R = ingest::RuleActionRow;
  static constexpr std::string_view kTable = "rule_actions";
  static constexpr auto kColumns =
      std::make_tuple(Col("firing_id", &R::firing_id), Col("idx", &R::idx), Col("kind", &R::kind),
                      Col("status", &R::status), Col("attempts", &R::attempts),
                      Col("next_attempt_at", &R::next_attempt_at),
                      Col("last_error", &R::last_error), Col("result", &R::result));
};
template <>
struct EntitySchema<ingest::NotificationRow> {
  using R = ingest::NotificationRow;
  static constexpr std::string_view kTable = "notifications";
  static constexpr auto kColumns = std::make_tuple(
      Col("id", &R::id), Col("user_id", &R::user_id), Col("account_id", &R::account_id),
      Col("firing_id", &R::firing_id), Col("dedupe_key", &R::dedupe_key), Col("title", &R::title),
      Col("body", &R::body), Col("link", &R::link), Col("created_at", &R::created_at),
      Col("read_at", &R::read_at));
};
template <>
struct EntitySchema<ingest::RuleObservationRow> {
  using R = ingest::RuleObservationRow;
  static constexpr std::string_view kTable = "rule_observations";
  static constexpr auto kColumns = std::make_tuple(
      Col("account_id", &R::account_id), Col("colour", &R::colour), Col("health", &R::health),
      Col("peak_health", &R::peak_health), Col("peak_on", &R::peak_on));
};
template <>
struct EntitySchema<ingest::EmailOptOutRow> {
  using R = ingest::EmailOptOutRow;
  static constexpr std::string_view kTable = "email_opt_outs";
  static constexpr auto kColumns =
      std::make_tuple(Col("email", &R::email), Col("opted_out_at", &R::opted_out_at));
};

template <>
struct EntitySchema<ingest::AccountOwnerRow> {
  static constexpr std::string_view kTable = "account_owners";
  static constexpr auto kColumns =
      std::make_tuple(Col("id", &ingest::AccountOwnerRow::id),
                      Col("account_id", &ingest::AccountOwnerRow::account_id),
                      Col("owner_id", &ingest::AccountOwnerRow::owner_id),
                      Col("since", &ingest::AccountOwnerRow::since));
};

namespace ingest {

template <class... T>
struct BookList {};

// Link order. Self links (a user's manager, an account's parent, a contact's manager) may point
// at a later row: the import sets them once the table is in (BookSelfLink).
using BookEntities =
    BookList<User, Account, AccountOwnerRow, Division, Product, ContractLine, Contact, Opportunity,
             Activity, ActivityContact, Ticket, NpsResponse, UsageMetric, EngagementSignal,
             Transcript, TextSentiment, AccountPlan, PlanPriority, PlanRisk, WhitespaceCell,
             PlanAction, PlanVersion, Review, Task, Handoff, HealthOverride, AuditEntry, Setting,
             RuleRow, RuleVersionRow, RuleFiringRow, RuleActionRow, NotificationRow,
             RuleObservationRow, EmailOptOutRow>;

// The column of `table` that links to a row of the same table, or "" when none does.
constexpr std::string_view BookSelfLink(std::string_view table) {
  if (table == "users") return "manager_id";
  if (table == "accounts") return "parent_id";
  if (table == "contacts") return "reports_to_id";
  return "";
}

// Columns that never leave the server (users.password_hash): not in the export, and left to the
// database's default on import.
constexpr bool IsBookSecret(std::string_view column) {
  return column == "password_hash" || column == "token_hash";
}

}  // namespace ingest
}  // namespace orchard

// The tables of a book export (book_export.h), shared by its writer and its reader: the entity
// tables of domain/schema.h that hold the book's data, in link order (each after every table it
// links to), plus the ownership history (account_owners, which keeps its own SQL in the account
// service; described here as an entity so that the same code copies it).
#pragma once

#include <optional>
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
}  // namespace ingest

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
             PlanAction, PlanVersion, Review, Task, Handoff, HealthOverride, AuditEntry, Setting>;

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

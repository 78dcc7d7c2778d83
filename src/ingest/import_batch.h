// Inside the Importer (internal to ingest/): what one batch writes, shared by the half that
// reads and matches rows (import_rows.cc) and the half that writes batches (import.cc), and the
// keys both derive from a row.
#pragma once

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "domain/entities.h"
#include "ingest/import.h"
#include "ingest/text.h"
#include "store/database.h"

namespace orchard::ingest {

namespace detail {

inline std::optional<int64_t> ToInt(std::string_view text) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

// A contact's natural key within its account: the e-mail, else the name.
inline std::string NaturalContactKey(const std::string& account, std::string_view email,
                                     std::string_view first, std::string_view last) {
  if (!email.empty()) return account + ":e:" + Lower(email);
  return account + ":n:" + Lower(first) + " " + Lower(last);
}

// An external key as the indexes hold it: the source's name and its id, which no id contains.
inline std::string ExternalKey(std::string_view source, std::string_view id) {
  std::string key(source);
  key += '\x1f';
  key += id;
  return key;
}

template <class T>
constexpr ImportObject ObjectOf() {
  if constexpr (std::is_same_v<T, Account>) return ImportObject::kAccounts;
  if constexpr (std::is_same_v<T, Contact>) return ImportObject::kContacts;
  if constexpr (std::is_same_v<T, Opportunity>) return ImportObject::kOpportunities;
  return ImportObject::kContractLines;
}

// A row's key in `system`, as the indexes hold it ("" when it has none there).
inline std::string NaturalKeyOf(const Account& a) { return Lower(a.name); }
inline std::string NaturalKeyOf(const Contact& c) {
  return NaturalContactKey(std::to_string(c.account_id.value), c.email, c.first_name, c.last_name);
}
inline std::string NaturalKeyOf(const Opportunity& o) {
  return std::to_string(o.account_id.value) + ":" + Lower(o.name);
}
inline std::string NaturalKeyOf(const ContractLine& l) {
  return std::to_string(l.account_id.value) + ":" + std::to_string(l.product_id.value) + ":" +
         l.start_date.ToString();
}

template <class T>
std::string KeyOf(const T& r, KeySystem system) {
  switch (system) {
    case KeySystem::kSalesforce:
      return r.salesforce_id.value_or("");
    case KeySystem::kHubspot:
      if constexpr (requires { r.hubspot_id; }) return r.hubspot_id.value_or("");
      return "";
    case KeySystem::kName:
      return NaturalKeyOf(r);
    case KeySystem::kExternal:
      if (!r.external_id) return "";
      return ExternalKey(r.external_source.value_or(""), *r.external_id);
    default:
      return "";
  }
}

// What one batch writes: new rows (with ids assigned here, written in one bulk write per table),
// changed rows (with the version they were read at), and the change-log entry of each.
template <class T>
struct Part {
  std::vector<T> inserts;
  // Ids of new rows are handed out in ascending order (from ascending reservations, which may
  // have gaps between them), so a new row is found by binary search.
  std::optional<size_t> InsertedAt(int64_t id) const {
    auto it = std::lower_bound(inserts.begin(), inserts.end(), id,
                               [](const T& row, int64_t want) { return row.id.value < want; });
    if (it == inserts.end() || it->id.value != id) return std::nullopt;
    return static_cast<size_t>(it - inserts.begin());
  }
  std::vector<std::pair<T, int64_t>> updates;   // the row as it will be, the version read
  std::unordered_map<int64_t, size_t> updated;  // id → place in updates
  // The stored rows the batch's keys match, read for it in one statement per 500 rows
  // (Importer::ReadMatched) where a re-import read each on its own: a round trip per row.
  std::unordered_map<int64_t, T> matched;
  std::vector<store::SqlValue> values;  // the inserts as SQL values, row after row (Handoff)
  bool empty() const { return inserts.empty() && updates.empty(); }
  void clear() {  // keeps the vectors' room for the next batch
    inserts.clear();
    updates.clear();
    updated.clear();
    matched.clear();
    values.clear();
  }
};

}  // namespace detail

struct Importer::Batch {
  detail::Part<Account> accounts;
  detail::Part<Contact> contacts;
  detail::Part<Opportunity> opportunities;
  detail::Part<ContractLine> lines;
  using Change = Importer::Change;
  std::vector<Change> changes;
  // An updated account's owner as it was stored: a change of owner writes its history.
  std::unordered_map<int64_t, std::optional<UserId>> owners_before;

  template <class T>
  detail::Part<T>& part() {
    if constexpr (std::is_same_v<T, Account>) return accounts;
    if constexpr (std::is_same_v<T, Contact>) return contacts;
    if constexpr (std::is_same_v<T, Opportunity>) return opportunities;
    if constexpr (std::is_same_v<T, ContractLine>) return lines;
  }
  bool empty() const {
    return accounts.empty() && contacts.empty() && opportunities.empty() && lines.empty() &&
           changes.empty();
  }
  // Empties the batch for the next one, keeping its vectors' room: a batch's vectors are
  // megabytes (20,000 rows' SQL values are 15 MB), which the allocator hands back to the system
  // when they are freed and which then fault in again, page by page, in the next batch — a fifth
  // of a 1M-row import's CPU went to those page faults.
  void clear() {
    accounts.clear();
    contacts.clear();
    opportunities.clear();
    lines.clear();
    changes.clear();
    owners_before.clear();
  }
};

}  // namespace orchard::ingest

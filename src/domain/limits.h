// What a write may store, in one place (issue "Trust"): every text column's limit — its length in
// characters, one line or several, whether it may be blank — the money bound (core/money.h) and
// the dates a row cannot do without. ValidateFields checks a whole row against them; the service
// runs it on every create and update (service/entity_service.h), the importer on every row it
// reads (ingest/import.cc), so the API and an import refuse the same things, naming the field.
// docs/ARCHITECTURE.md ("Input limits") lists them for people.
#pragma once

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

#include "domain/schema.h"

namespace orchard {

struct TextLimit {
  std::string_view table;
  std::string_view column;
  int max_chars = 200;     // Unicode characters, not bytes
  bool multiline = false;  // tab, newline and carriage return allowed
  bool required = false;   // neither empty nor only white space
};

// Every text column of domain/schema.h, one row each (tests/unit/limits_test.cc checks none is
// missing).
std::span<const TextLimit> TextLimits();
// The limit of one column; nullopt for a column the table does not list.
std::optional<TextLimit> TextLimitOf(std::string_view table, std::string_view column);

// Why `text` breaks `limit`, as the second half of "field: message"; nullopt when it does not.
// Refused: bytes that are not UTF-8; control characters (C0, DEL, C1) except tab, newline and
// carriage return in multi-line text; more than max_chars characters; blank required text.
std::optional<std::string> CheckText(std::string_view text, const TextLimit& limit);

// The first `max_chars` characters of UTF-8 `text` (for a name the server composes).
std::string TruncateText(std::string_view text, int max_chars);

// "must be at most 10^15 cents ($10 trillion)" (or at least its negative) when |money| is past
// the bound; nullopt otherwise.
std::optional<std::string> CheckMoney(Money money);

// Checks every column of `row`: text against its limit, money against the bound, and that each
// day or instant the row must have is set (a value left at 1970-01-01, the default of an absent
// field, is missing). The first failure names its column.
template <class T>
Status ValidateFields(const T& row) {
  // Each column's limit, found once: an import checks every row it reads. created_at and
  // updated_at are the server's to set, not a client's to forget.
  struct ColumnRule {
    TextLimit limit;
    bool server_owned = false;
  };
  [[maybe_unused]] static const std::array<ColumnRule, ColumnCount<T>()> kColumnLimits = [] {
    std::array<ColumnRule, ColumnCount<T>()> rules{};
    size_t i = 0;
    ForEachColumn<T>([&](const auto& col) {
      rules[i].limit = TextLimitOf(EntitySchema<T>::kTable, col.name)
                           .value_or(TextLimit{EntitySchema<T>::kTable, col.name});
      rules[i++].server_owned = col.name == "created_at" || col.name == "updated_at";
    });
    return rules;
  }();
  std::optional<std::pair<std::string_view, std::string>> failed;
  size_t column = 0;
  ForEachColumn<T>([&](const auto& col) {
    const ColumnRule& rule = kColumnLimits[column++];
    const TextLimit& limit = rule.limit;
    if (failed) return;
    using M = std::remove_cvref_t<decltype(row.*(col.member))>;
    const M& value = row.*(col.member);
    auto text = [&](const std::string& s) {
      if (auto why = CheckText(s, limit)) failed.emplace(col.name, std::move(*why));
    };
    if constexpr (std::is_same_v<M, std::string>) {
      text(value);
    } else if constexpr (std::is_same_v<M, std::optional<std::string>>) {
      if (value) text(*value);
    } else if constexpr (std::is_same_v<M, Money>) {
      if (auto why = CheckMoney(value)) failed.emplace(col.name, std::move(*why));
    } else if constexpr (std::is_same_v<M, Date> || std::is_same_v<M, Timestamp>) {
      if (!rule.server_owned && value == M()) failed.emplace(col.name, "is required");
    }
  });
  if (failed) return FailValue(std::string(failed->first), std::move(failed->second));
  return Ok();
}

}  // namespace orchard

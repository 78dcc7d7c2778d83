// Entities to JSON, generically from domain/schema.h: one field per column with the column's
// name (money as integer *_cents, days "YYYY-MM-DD", instants ISO 8601 UTC, enums by name, ids as
// integers, absent optionals as null). Secrets (password hashes) never leave the server.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string_view>
#include <type_traits>

#include "domain/schema.h"

namespace orchard::http {

inline boost::json::value ToJsonValue(int64_t v) { return v; }
inline boost::json::value ToJsonValue(int v) { return static_cast<int64_t>(v); }
inline boost::json::value ToJsonValue(bool v) { return v; }
inline boost::json::value ToJsonValue(const std::string& v) { return boost::json::string(v); }
inline boost::json::value ToJsonValue(Date v) { return boost::json::string(v.ToString()); }
inline boost::json::value ToJsonValue(Timestamp v) { return boost::json::string(v.ToIso8601()); }
inline boost::json::value ToJsonValue(Money v) { return v.cents(); }
// Tiers are numbers to people ("tier 1"), so JSON carries 1, 2, 3.
inline boost::json::value ToJsonValue(Tier v) { return static_cast<int64_t>(v) + 1; }
template <class Tag>
boost::json::value ToJsonValue(Id<Tag> v) {
  return v.value;
}
template <class E>
requires std::is_enum_v<E> boost::json::value ToJsonValue(E v) {
  return boost::json::string(ToString(v));
}
template <class X>
boost::json::value ToJsonValue(const std::optional<X>& v) {
  if (!v) return nullptr;
  return ToJsonValue(*v);
}

inline bool IsSecretColumn(std::string_view name) { return name == "password_hash"; }

template <class T>
boost::json::object ToJson(const T& row) {
  boost::json::object out;
  ForEachColumn<T>([&](const auto& col) {
    if (IsSecretColumn(col.name)) return;
    out.emplace(col.name, ToJsonValue(row.*(col.member)));
  });
  return out;
}

}  // namespace orchard::http

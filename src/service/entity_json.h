// Entities to and from JSON, generically from domain/schema.h: one field per column with the
// column's name (money as integer *_cents, days "YYYY-MM-DD", instants ISO 8601 UTC, enums by
// name, ids as integers, absent optionals as null). Secrets (password hashes) never leave the
// server. The API speaks it, and the audit log stores before/after in the same form.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <boost/json/serialize.hpp>

#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "domain/schema.h"

namespace orchard::service {

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

inline bool IsSecretColumn(std::string_view name) {
  return name == "password_hash" || name == "token_hash";
}

// Columns a client never sets directly: the store or the service owns them.
inline bool IsServerOwnedColumn(std::string_view name) {
  return name == "id" || name == "version" || name == "created_at" || name == "updated_at" ||
         IsSecretColumn(name);
}

template <class T>
boost::json::object ToJson(const T& row) {
  boost::json::object out;
  ForEachColumn<T>([&](const auto& col) {
    if (IsSecretColumn(col.name)) return;
    out.emplace(col.name, ToJsonValue(row.*(col.member)));
  });
  return out;
}

template <class T>
std::string ToJsonText(const T& row) {
  return boost::json::serialize(ToJson(row));
}

// --- from JSON: each conversion names what it expected, for the field's error message.

inline Result<int64_t> FromJsonValue(const boost::json::value& v, int64_t*) {
  if (v.is_int64()) return v.as_int64();
  if (v.is_uint64() && v.as_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
    return static_cast<int64_t>(v.as_uint64());
  }
  return Fail(ErrorCode::kInvalidArgument, "must be a whole number");
}
inline Result<int> FromJsonValue(const boost::json::value& v, int*) {
  ORCHARD_TRY(int64_t n, FromJsonValue(v, static_cast<int64_t*>(nullptr)));
  if (n < INT32_MIN || n > INT32_MAX) return Fail(ErrorCode::kInvalidArgument, "is out of range");
  return static_cast<int>(n);
}
inline Result<bool> FromJsonValue(const boost::json::value& v, bool*) {
  if (v.is_bool()) return v.as_bool();
  return Fail(ErrorCode::kInvalidArgument, "must be true or false");
}
inline Result<std::string> FromJsonValue(const boost::json::value& v, std::string*) {
  if (v.is_string()) return std::string(v.as_string());
  return Fail(ErrorCode::kInvalidArgument, "must be a string");
}
inline Result<Date> FromJsonValue(const boost::json::value& v, Date*) {
  if (!v.is_string()) return Fail(ErrorCode::kInvalidArgument, "must be a date \"YYYY-MM-DD\"");
  return Date::Parse(v.as_string());
}
inline Result<Timestamp> FromJsonValue(const boost::json::value& v, Timestamp*) {
  if (!v.is_string()) {
    return Fail(ErrorCode::kInvalidArgument, "must be a UTC timestamp \"YYYY-MM-DDTHH:MM:SSZ\"");
  }
  return Timestamp::Parse(v.as_string());
}
inline Result<Money> FromJsonValue(const boost::json::value& v, Money*) {
  auto cents = FromJsonValue(v, static_cast<int64_t*>(nullptr));
  if (!cents) return Fail(ErrorCode::kInvalidArgument, "must be a whole number of cents");
  return Money::FromCents(*cents);
}
template <class Tag>
Result<Id<Tag>> FromJsonValue(const boost::json::value& v, Id<Tag>*) {
  auto n = FromJsonValue(v, static_cast<int64_t*>(nullptr));
  if (!n || *n < 1) return Fail(ErrorCode::kInvalidArgument, "must be a positive integer id");
  return Id<Tag>(*n);
}
inline Result<Tier> FromJsonValue(const boost::json::value& v, Tier*) {
  auto n = FromJsonValue(v, static_cast<int64_t*>(nullptr));
  if (!n || *n < 1 || *n > 3) return Fail(ErrorCode::kInvalidArgument, "must be 1, 2 or 3");
  return static_cast<Tier>(*n - 1);
}
template <class E>
requires std::is_enum_v<E> Result<E> FromJsonValue(const boost::json::value& v, E*) {
  if (!v.is_string()) return ParseEnum<E>("(not a string)");
  return ParseEnum<E>(v.as_string());
}
template <class X>
Result<std::optional<X>> FromJsonValue(const boost::json::value& v, std::optional<X>*) {
  if (v.is_null()) return std::optional<X>();
  ORCHARD_TRY(X x, FromJsonValue(v, static_cast<X*>(nullptr)));
  return std::optional<X>(std::move(x));
}

// Applies the fields of `body` onto `target`: every unknown field, server-owned field and wrong
// type is reported at once, naming the field; on any error `target` is left as it was.
// `ignore` lists keys handled by the caller (such as "version" on a patch).
template <class T>
Status ApplyJson(const boost::json::object& body, T& target,
                 std::initializer_list<std::string_view> ignore = {}) {
  T next = target;
  std::vector<FieldError> errors;
  for (const auto& [key, value] : body) {
    bool skip = false;
    for (auto name : ignore) skip = skip || name == key;
    if (skip) continue;
    bool found = false;
    ForEachColumn<T>([&](const auto& col) {
      if (col.name != key) return;
      found = true;
      if (IsServerOwnedColumn(col.name)) {
        errors.push_back({std::string(key), "is set by the server and cannot be written"});
        return;
      }
      using M = std::remove_cvref_t<decltype(next.*(col.member))>;
      auto parsed = FromJsonValue(value, static_cast<M*>(nullptr));
      if (!parsed) {
        errors.push_back({std::string(key), parsed.error().message});
      } else {
        next.*(col.member) = std::move(*parsed);
      }
    });
    if (!found) errors.push_back({std::string(key), "unknown field"});
  }
  if (!errors.empty()) {
    std::string message = errors.size() == 1 ? errors[0].field + ": " + errors[0].message
                                             : std::to_string(errors.size()) +
                                                   " fields are invalid: " + errors[0].field +
                                                   ": " + errors[0].message + ", …";
    return Fail(ErrorCode::kInvalidArgument, std::move(message), std::move(errors));
  }
  target = std::move(next);
  return Ok();
}

}  // namespace orchard::service

// How each field type travels to and from a SQL column. One codec per C++ type, used by the
// typed store for every entity, so both backends store the same text for the same value.
#pragma once

#include <optional>
#include <string>
#include <type_traits>

#include "core/date.h"
#include "core/ids.h"
#include "core/money.h"
#include "domain/enums.h"
#include "store/database.h"

namespace orchard::store {

template <class M>
struct Codec;

template <>
struct Codec<int64_t> {
  static SqlValue ToSql(int64_t v) { return v; }
  static Result<int64_t> FromSql(const Row& row, int i) { return row.GetInt(i); }
};

template <>
struct Codec<int> {
  static SqlValue ToSql(int v) { return static_cast<int64_t>(v); }
  static Result<int> FromSql(const Row& row, int i) {
    ORCHARD_TRY(int64_t v, row.GetInt(i));
    return static_cast<int>(v);
  }
};

template <>
struct Codec<bool> {
  static SqlValue ToSql(bool v) { return static_cast<int64_t>(v ? 1 : 0); }
  static Result<bool> FromSql(const Row& row, int i) { return row.GetBool(i); }
};

template <>
struct Codec<std::string> {
  static SqlValue ToSql(const std::string& v) { return v; }
  static Result<std::string> FromSql(const Row& row, int i) { return std::string(row.GetText(i)); }
};

template <>
struct Codec<Date> {
  static SqlValue ToSql(Date v) { return v.ToString(); }
  static Result<Date> FromSql(const Row& row, int i) { return Date::Parse(row.GetText(i)); }
};

template <>
struct Codec<Timestamp> {
  static SqlValue ToSql(Timestamp v) { return v.ToString(); }
  static Result<Timestamp> FromSql(const Row& row, int i) {
    return Timestamp::Parse(row.GetText(i));
  }
};

template <>
struct Codec<Money> {
  static SqlValue ToSql(Money v) { return v.cents(); }
  static Result<Money> FromSql(const Row& row, int i) {
    ORCHARD_TRY(int64_t v, row.GetInt(i));
    return Money::FromCents(v);
  }
};

template <class Tag>
struct Codec<Id<Tag>> {
  static SqlValue ToSql(Id<Tag> v) { return v.value; }
  static Result<Id<Tag>> FromSql(const Row& row, int i) {
    ORCHARD_TRY(int64_t v, row.GetInt(i));
    return Id<Tag>(v);
  }
};

template <class E>
requires std::is_enum_v<E>
struct Codec<E> {
  static SqlValue ToSql(E v) { return std::string(ToString(v)); }
  static Result<E> FromSql(const Row& row, int i) { return ParseEnum<E>(row.GetText(i)); }
};

template <class X>
struct Codec<std::optional<X>> {
  static SqlValue ToSql(const std::optional<X>& v) {
    if (!v) return std::monostate{};
    return Codec<X>::ToSql(*v);
  }
  static Result<std::optional<X>> FromSql(const Row& row, int i) {
    if (row.IsNull(i)) return std::optional<X>();
    ORCHARD_TRY(X v, Codec<X>::FromSql(row, i));
    return std::optional<X>(std::move(v));
  }
};

}  // namespace orchard::store

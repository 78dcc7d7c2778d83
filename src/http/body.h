// Fields of a JSON request body, read with errors that name the field (the routes whose body is
// not one entity's row: a review held, a handoff accepted, a cell turned into an opportunity).
#pragma once

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "core/date.h"
#include "core/result.h"
#include "domain/enums.h"

namespace orchard::http {

// Names the first field `what` does not take, and the ones it does.
inline Status OnlyFields(const boost::json::object& body, std::string_view what,
                         std::initializer_list<std::string_view> known) {
  for (const auto& [key, value] : body) {
    if (std::find(known.begin(), known.end(), std::string_view(key)) == known.end()) {
      std::string list;
      for (auto n : known) list += (list.empty() ? "" : ", ") + std::string(n);
      return FailField(std::string(key), "unknown field; " + std::string(what) + " takes " + list);
    }
  }
  return Ok();
}

inline Result<std::optional<std::string>> TextField(const boost::json::object& body,
                                                    std::string_view name) {
  auto it = body.find(name);
  if (it == body.end() || it->value().is_null()) return std::nullopt;
  if (!it->value().is_string()) return FailField(std::string(name), "must be a string");
  return std::string(it->value().as_string());
}

inline Result<std::optional<Date>> DateField(const boost::json::object& body,
                                             std::string_view name) {
  auto it = body.find(name);
  if (it == body.end() || it->value().is_null()) return std::nullopt;
  auto day = it->value().is_string() ? Date::Parse(it->value().as_string())
                                     : Result<Date>(std::unexpected(Error{}));
  if (!day) return FailField(std::string(name), "must be a date, YYYY-MM-DD");
  return *day;
}

inline Result<std::optional<int64_t>> IntField(const boost::json::object& body,
                                               std::string_view name, int64_t min) {
  auto it = body.find(name);
  if (it == body.end() || it->value().is_null()) return std::nullopt;
  if (!it->value().is_int64() || it->value().as_int64() < min) {
    return FailField(std::string(name),
                     "must be a whole number, " + std::to_string(min) + " or more");
  }
  return it->value().as_int64();
}

template <class E>
Result<std::optional<E>> EnumField(const boost::json::object& body, std::string_view name) {
  auto it = body.find(name);
  if (it == body.end() || it->value().is_null()) return std::nullopt;
  auto v = it->value().is_string() ? ParseEnum<E>(it->value().as_string())
                                   : Result<E>(std::unexpected(Error{}));
  if (!v) {
    return FailField(std::string(name), v.error().message.empty() ? std::string("must be a string")
                                                                  : v.error().message);
  }
  return *v;
}

}  // namespace orchard::http

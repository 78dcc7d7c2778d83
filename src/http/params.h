// Query parameters, read with errors that name the parameter: shared by the routes that take
// more than an id (engine_routes.cc, plan_routes.cc).
#pragma once

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/result.h"

namespace orchard::http {

// Query parameters by name; path parameters as ":name".
using Params = std::map<std::string, std::string>;

inline Result<std::optional<int64_t>> IntParam(const Params& params, const std::string& name,
                                               int64_t min, int64_t max) {
  auto it = params.find(name);
  if (it == params.end()) return std::nullopt;
  int64_t v = 0;
  const std::string& t = it->second;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || ec != std::errc() || p != t.data() + t.size() || v < min || v > max) {
    return FailField(name, "must be a whole number from " + std::to_string(min) + " to " +
                               std::to_string(max) + "; got \"" + t + "\"");
  }
  return v;
}

inline Result<Date> DayParam(const Params& params, const std::string& name, Date fallback) {
  auto it = params.find(name);
  if (it == params.end()) return fallback;
  auto day = Date::Parse(it->second);
  if (!day) return FailField(name, day.error().message);
  return *day;
}

// Names the first parameter `what` does not take, and the ones it does.
inline Status OnlyParams(const Params& params, std::string_view what,
                         std::initializer_list<std::string_view> known) {
  for (const auto& [k, v] : params) {
    if (k.starts_with(':')) continue;  // a path parameter
    if (std::find(known.begin(), known.end(), k) == known.end()) {
      std::string list;
      for (auto n : known) list += (list.empty() ? "" : ", ") + std::string(n);
      return FailField(k, "unknown parameter; " + std::string(what) + " takes " + list);
    }
  }
  return Ok();
}

}  // namespace orchard::http

#include "http/params.h"

#include <algorithm>
#include <charconv>

namespace orchard::http {

Result<int64_t> ParseInt(std::string_view name, std::string_view text, int64_t min, int64_t max) {
  int64_t value = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || p != text.data() + text.size()) {
    return FailField(std::string(name),
                     "must be a whole number; got \"" + std::string(text) + "\"");
  }
  if (value < min || value > max) {
    return FailField(std::string(name), "must be from " + std::to_string(min) + " to " +
                                            std::to_string(max) + "; got " + std::string(text));
  }
  return value;
}

std::optional<std::string> QueryParams::Get(std::string_view name) const {
  for (const auto& [k, v] : request_.query) {
    if (k == name) return v;
  }
  return std::nullopt;
}

Result<std::optional<int64_t>> QueryParams::Int(std::string_view name, int64_t min,
                                                int64_t max) const {
  auto text = Get(name);
  if (!text) return std::optional<int64_t>();
  ORCHARD_TRY(int64_t value, ParseInt(name, *text, min, max));
  return std::optional<int64_t>(value);
}

Result<Date> QueryParams::Day(std::string_view name, Date fallback) const {
  auto text = Get(name);
  if (!text) return fallback;
  auto day = Date::Parse(*text);
  if (!day) return FailField(std::string(name), day.error().message);
  return *day;
}

Status QueryParams::Only(std::string_view what,
                         std::initializer_list<std::string_view> known) const {
  for (const auto& [k, v] : request_.query) {
    if (std::find(known.begin(), known.end(), k) != known.end()) continue;
    std::string list;
    for (auto n : known) list += (list.empty() ? "" : ", ") + std::string(n);
    return FailField(k, "unknown parameter; " + std::string(what) + " takes " + list);
  }
  return Ok();
}

std::vector<std::string_view> QueryParams::Names() const {
  std::vector<std::string_view> out;
  for (const auto& [k, v] : request_.query) out.push_back(k);
  return out;
}

}  // namespace orchard::http

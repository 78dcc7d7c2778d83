// Query parameters, read with errors that name the parameter: the one reader every route uses
// (the accounts list, the generic lists, the dashboards, plans, reviews, imports).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/result.h"
#include "http/router.h"

namespace orchard::http {

class QueryParams {
 public:
  explicit QueryParams(const HttpRequest& request) : request_(request) {}

  // The first value given for `name`.
  std::optional<std::string> Get(std::string_view name) const;
  bool Has(std::string_view name) const { return Get(name).has_value(); }
  // A whole number from min to max, or nullopt when not given.
  Result<std::optional<int64_t>> Int(std::string_view name, int64_t min, int64_t max) const;
  // A date, YYYY-MM-DD, or `fallback` when not given.
  Result<Date> Day(std::string_view name, Date fallback) const;
  // Only these parameters: names the first one given that `what` does not take, and the ones
  // it does.
  Status Only(std::string_view what, std::initializer_list<std::string_view> known) const;
  // The names given, in order (a dashboard checks them against its own list).
  std::vector<std::string_view> Names() const;

 private:
  const HttpRequest& request_;
};

// `text` as a whole number from min to max; a failure names `name`.
Result<int64_t> ParseInt(std::string_view name, std::string_view text, int64_t min, int64_t max);

}  // namespace orchard::http

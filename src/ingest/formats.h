// The value formats a CSV mapping names (issue 6): money as exports write it ("$1,234.50",
// "1.234,50 €", "(1,234.50)", "1 234,50 EUR") and dates by pattern ("YYYY-MM-DD", "MM/DD/YYYY",
// "DD.MM.YYYY", …). Each failure says what was expected, for the importer's rejected-row report.
#pragma once

#include <string>
#include <string_view>

#include "core/date.h"
#include "core/money.h"
#include "core/result.h"

namespace orchard::ingest {

// How a money column writes its numbers: the decimal mark and the digit-group mark (0: none).
struct MoneyFormat {
  char decimal = '.';
  char grouping = ',';
  bool cents = false;  // "cents": whole numbers of cents ("123450" is 1,234.50)
  // By example: "1,234.50" (the default), "1.234,50", "1 234,50", "1234.50", "1234,50"; or
  // "cents".
  static Result<MoneyFormat> FromExample(std::string_view example);
};

// An amount in cents: currency symbols or codes ($ € £ ¥, USD, EUR, …) before or after, a minus
// sign or parentheses for negatives, at most two decimals. Groups of three digits only.
Result<Money> ParseMoney(std::string_view text, const MoneyFormat& format);

// A date by pattern: YYYY, MM, DD (two digits), M, D (one or two), any other character as
// itself. An ISO pattern also takes an ISO date-time (Salesforce's "2026-06-15T12:00:00.000Z")
// and keeps the date.
Result<Date> ParseDateAs(std::string_view text, std::string_view pattern);

}  // namespace orchard::ingest

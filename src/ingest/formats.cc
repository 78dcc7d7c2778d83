#include "ingest/formats.h"

#include <cctype>

namespace orchard::ingest {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Strips currency symbols and ISO codes at either end.
std::string_view StripCurrency(std::string_view s) {
  static constexpr std::string_view kSymbols[] = {
      "$",   "\xE2\x82\xAC", "\xC2\xA3", "\xC2\xA5", "USD", "EUR", "GBP",
      "JPY", "CHF",          "CAD",      "AUD",      "US$", "CA$", "A$"};
  for (bool changed = true; changed;) {
    changed = false;
    s = Trim(s);
    for (std::string_view sym : kSymbols) {
      if (s.starts_with(sym)) {
        s.remove_prefix(sym.size());
        changed = true;
      } else if (s.ends_with(sym)) {
        s.remove_suffix(sym.size());
        changed = true;
      }
    }
  }
  return s;
}

}  // namespace

Result<MoneyFormat> MoneyFormat::FromExample(std::string_view example) {
  if (example == "1,234.50") return MoneyFormat{'.', ','};
  if (example == "1.234,50") return MoneyFormat{',', '.'};
  if (example == "1 234,50") return MoneyFormat{',', ' '};
  if (example == "1234.50") return MoneyFormat{'.', 0};
  if (example == "1234,50") return MoneyFormat{',', 0};
  if (example == "cents") return MoneyFormat{'.', ',', true};
  return FailValue("money_format", "\"" + std::string(example) +
                                       "\" is not one of 1,234.50, 1.234,50, 1 234,50, 1234.50, "
                                       "1234,50, cents");
}

Result<Money> ParseMoney(std::string_view text, const MoneyFormat& f) {
  const std::string shown(Trim(text));
  if (f.cents) {  // read as a whole amount, which is the number of cents
    ORCHARD_TRY(Money whole, ParseMoney(text, MoneyFormat{'.', ','}));
    if (whole.cents() % 100 != 0) {
      return FailValue("amount", "\"" + shown + "\" is not a whole number of cents");
    }
    return Money::FromCents(whole.cents() / 100);
  }
  auto bad = [&](const std::string& why) -> Result<Money> {
    return FailValue("amount", "\"" + shown + "\" " + why);
  };
  std::string_view s = Trim(text);
  bool negative = false;
  if (s.size() >= 2 && s.front() == '(' && s.back() == ')') {
    negative = true;
    s = s.substr(1, s.size() - 2);
  }
  s = StripCurrency(s);
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    negative = negative || s.front() == '-';
    s = StripCurrency(s.substr(1));
  }
  if (s.empty()) return bad("has no amount");
  int64_t whole = 0, cents = 0;
  int digits_in_group = 0, decimals = -1;  // -1: before the decimal mark
  bool grouped = false;
  for (char c : s) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      const int d = c - '0';
      if (decimals >= 0) {
        if (++decimals > 2) return bad("has more than two decimals");
        cents = cents * 10 + d;
      } else {
        if (whole > (INT64_MAX / 100 - d) / 10) return bad("is too large");
        whole = whole * 10 + d;
        ++digits_in_group;
      }
    } else if (c == f.decimal && decimals < 0) {
      if (grouped && digits_in_group != 3) return bad("has a digit group that is not 3 digits");
      decimals = 0;
    } else if (f.grouping != 0 && c == f.grouping && decimals < 0) {
      if ((grouped && digits_in_group != 3) || (!grouped && digits_in_group == 0) ||
          (!grouped && digits_in_group > 3)) {
        return bad("has a digit group that is not 3 digits");
      }
      grouped = true;
      digits_in_group = 0;
    } else {
      std::string expected = std::string("digits, '") + f.decimal + "' for decimals";
      if (f.grouping != 0) expected += std::string(" and '") + f.grouping + "' between thousands";
      return bad("is not an amount: expected " + expected);
    }
  }
  if (decimals < 0 && grouped && digits_in_group != 3) {
    return bad("has a digit group that is not 3 digits");
  }
  if (decimals == 1) cents *= 10;
  const int64_t total = whole * 100 + cents;
  return Money::FromCents(negative ? -total : total);
}

Result<Date> ParseDateAs(std::string_view text, std::string_view pattern) {
  const std::string shown(Trim(text));
  auto bad = [&]() -> Result<Date> {
    return FailValue("date", "\"" + shown + "\" is not a date written " + std::string(pattern));
  };
  std::string_view s = Trim(text);
  if (pattern == "YYYY-MM-DD" && s.size() > 10 && s[10] == 'T') s = s.substr(0, 10);
  int year = -1, month = -1, day = -1;
  size_t i = 0;
  auto number = [&](size_t min, size_t max, int& out) {
    size_t n = 0;
    int v = 0;
    while (n < max && i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
      v = v * 10 + (s[i] - '0');
      ++i;
      ++n;
    }
    out = v;
    return n >= min;
  };
  struct Token {
    std::string_view text;
    size_t min, max;  // digits
    int* into;
  };
  // Longest first: "MM" before "M".
  const Token tokens[] = {{"YYYY", 4, 4, &year},
                          {"MM", 2, 2, &month},
                          {"DD", 2, 2, &day},
                          {"M", 1, 2, &month},
                          {"D", 1, 2, &day}};
  for (size_t p = 0; p < pattern.size();) {
    const std::string_view rest = pattern.substr(p);
    const Token* token = nullptr;
    for (const Token& t : tokens) {
      if (rest.starts_with(t.text)) {
        token = &t;
        break;
      }
    }
    if (token != nullptr) {
      if (!number(token->min, token->max, *token->into)) return bad();
      p += token->text.size();
    } else {
      if (i >= s.size() || s[i] != pattern[p]) return bad();
      ++i;
      ++p;
    }
  }
  if (i != s.size() || year < 0 || month < 0 || day < 0) return bad();
  auto date = Date::FromYmd(year, month, day);
  if (!date) return bad();
  return *date;
}

}  // namespace orchard::ingest

#include "core/money.h"

#include <cstdlib>
#include <ostream>

namespace orchard {

// 128-bit intermediates keep cents × basis points exact; __extension__ marks the GNU type.
__extension__ using Int128 = __int128;

Result<Money> Money::Parse(std::string_view text) {
  std::string_view s = text;
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  bool negative = false;
  if (!s.empty() && s.front() == '-') {
    negative = true;
    s.remove_prefix(1);
  }
  if (!s.empty() && s.front() == '$') s.remove_prefix(1);
  if (s.empty())
    return Fail(ErrorCode::kInvalidArgument, "not an amount: \"" + std::string(text) + "\"");
  Int128 cents = 0;
  int decimals = -1;  // -1: before the point
  bool any_digit = false;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      if (decimals >= 2) {
        return Fail(ErrorCode::kInvalidArgument,
                    "more than two decimals in amount \"" + std::string(text) + "\"");
      }
      cents = cents * 10 + (c - '0');
      if (decimals >= 0) ++decimals;
      any_digit = true;
      if (cents > static_cast<Int128>(INT64_MAX)) {
        return Fail(ErrorCode::kInvalidArgument, "amount too large: \"" + std::string(text) + "\"");
      }
    } else if (c == ',' && decimals < 0) {
      continue;  // thousands separator
    } else if (c == '.' && decimals < 0) {
      decimals = 0;
    } else {
      return Fail(ErrorCode::kInvalidArgument, "not an amount: \"" + std::string(text) + "\"");
    }
  }
  if (!any_digit)
    return Fail(ErrorCode::kInvalidArgument, "not an amount: \"" + std::string(text) + "\"");
  int scale = decimals < 0 ? 0 : decimals;
  for (int i = scale; i < 2; ++i) cents *= 10;
  if (cents > static_cast<Int128>(INT64_MAX)) {
    return Fail(ErrorCode::kInvalidArgument, "amount too large: \"" + std::string(text) + "\"");
  }
  auto value = static_cast<int64_t>(cents);
  return Money(negative ? -value : value);
}

std::string Money::ToString() const {
  // Widen first: -INT64_MIN does not fit in int64.
  Int128 v = cents_;
  bool negative = v < 0;
  if (negative) v = -v;
  auto whole = static_cast<unsigned long long>(v / 100);
  auto frac = static_cast<unsigned>(v % 100);
  std::string digits = std::to_string(whole);
  std::string grouped;
  int count = 0;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (count > 0 && count % 3 == 0) grouped.push_back(',');
    grouped.push_back(*it);
    ++count;
  }
  std::string out = negative ? "-$" : "$";
  out.append(grouped.rbegin(), grouped.rend());
  out.push_back('.');
  out.push_back(static_cast<char>('0' + frac / 10));
  out.push_back(static_cast<char>('0' + frac % 10));
  return out;
}

namespace {
// num ÷ den rounded half away from zero, clamped to the int64 range. |num| < 2^126.
int64_t RoundedDivide(Int128 num, Int128 den) {
  if (den < 0) {
    num = -num;
    den = -den;
  }
  Int128 q = num / den;
  Int128 r = num % den;
  if (r < 0) r = -r;
  if (r >= den - r) q += (num < 0) ? -1 : 1;
  if (q > static_cast<Int128>(INT64_MAX)) return INT64_MAX;
  if (q < static_cast<Int128>(INT64_MIN)) return INT64_MIN;
  return static_cast<int64_t>(q);
}

// |v| × 10000 must stay below 2^126: a total of more than 2^112 cents (no book has one) is
// scaled down with its denominator first.
void ScaleForRatio(Int128& num, Int128& den) {
  const Int128 limit = static_cast<Int128>(1) << 112;
  while (num > limit || num < -limit || den > limit || den < -limit) {
    num /= 2;
    den /= 2;
  }
}
}  // namespace

std::ostream& operator<<(std::ostream& out, const CentsTotal& total) {
  return out << total.cents();
}

Money Money::MulDiv(int64_t numerator, int64_t denominator) const {
  if (denominator == 0) return Money(0);
  return Money(RoundedDivide(static_cast<Int128>(cents_) * numerator, denominator));
}

int64_t RatioBasisPoints(Money numerator, Money denominator) {
  if (denominator.cents() == 0) return 0;
  return RoundedDivide(static_cast<Int128>(numerator.cents()) * 10000, denominator.cents());
}

int64_t RatioBasisPoints(const CentsTotal& numerator, const CentsTotal& denominator) {
  Int128 num = numerator.wide(), den = denominator.wide();
  ScaleForRatio(num, den);
  if (den == 0) return 0;
  return RoundedDivide(num * 10000, den);
}

}  // namespace orchard

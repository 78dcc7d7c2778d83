// Money in integer cents (USD by default). Never a double: sums over a million accounts must be
// exact, and ratios (NRR, GRR) are computed in basis points from exact integer totals.
//
// No stored amount can make a read fail: every amount written is bounded (kMaxMoneyCents, checked
// by domain/limits.h on every write), Money's arithmetic saturates at the int64 range instead of
// wrapping, and totals over many rows are CentsTotal (128 bits inside), so even rows stored past
// the bound by SQL sum to a large positive figure, never to a wrapped negative one.
#pragma once

#include <compare>
#include <cstdint>
#include <iosfwd>
#include <limits>
#include <string>
#include <string_view>

#include "core/result.h"

namespace orchard {

// The largest amount written: |cents| ≤ 10^15, $10 trillion — far beyond any contract. 9,224 of
// them already pass the int64 range, so totals are CentsTotal all the same.
inline constexpr int64_t kMaxMoneyCents = 1'000'000'000'000'000;
inline constexpr std::string_view kMaxMoneyText = "10^15 cents ($10 trillion)";

// a + b, a − b and a × k clamped to the int64 range instead of wrapping.
constexpr int64_t SaturatingAdd(int64_t a, int64_t b) {
  int64_t r = 0;
  if (__builtin_add_overflow(a, b, &r)) {
    return b > 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
  }
  return r;
}
constexpr int64_t SaturatingSub(int64_t a, int64_t b) {
  int64_t r = 0;
  if (__builtin_sub_overflow(a, b, &r)) {
    return b < 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
  }
  return r;
}
constexpr int64_t SaturatingMul(int64_t a, int64_t k) {
  int64_t r = 0;
  if (__builtin_mul_overflow(a, k, &r)) {
    return (a < 0) != (k < 0) ? std::numeric_limits<int64_t>::min()
                              : std::numeric_limits<int64_t>::max();
  }
  return r;
}

// A running total of cents that no data can overflow: 128 bits inside (2^64 rows of any int64
// amount fit), read clamped to the int64 range. Kept totals that rows are added to and taken
// from again (engine/read_model.h) stay exact, which saturating sums would not.
class CentsTotal {
 public:
  __extension__ using Wide = __int128;

  constexpr CentsTotal() = default;
  constexpr explicit CentsTotal(int64_t cents) : v_(cents) {}
  constexpr CentsTotal& operator+=(int64_t cents) {
    v_ += cents;
    return *this;
  }
  constexpr CentsTotal& operator-=(int64_t cents) {
    v_ -= cents;
    return *this;
  }
  constexpr CentsTotal& operator+=(const CentsTotal& o) {
    v_ += o.v_;
    return *this;
  }
  constexpr CentsTotal& operator-=(const CentsTotal& o) {
    v_ -= o.v_;
    return *this;
  }
  // Adds sign × cents (sign 1 or −1).
  constexpr void Count(int64_t cents, int sign) { v_ += sign < 0 ? -Wide(cents) : Wide(cents); }
  constexpr void Negate() { v_ = -v_; }
  constexpr Wide wide() const { return v_; }
  constexpr bool is_zero() const { return v_ == 0; }
  // The total, clamped to the int64 range.
  constexpr int64_t cents() const {
    if (v_ > Wide(std::numeric_limits<int64_t>::max())) return std::numeric_limits<int64_t>::max();
    if (v_ < Wide(std::numeric_limits<int64_t>::min())) return std::numeric_limits<int64_t>::min();
    return static_cast<int64_t>(v_);
  }
  constexpr bool operator==(const CentsTotal&) const = default;
  constexpr bool operator==(int64_t cents) const { return v_ == Wide(cents); }

 private:
  Wide v_ = 0;
};

// The clamped total, as cents (for test output and logs).
std::ostream& operator<<(std::ostream& out, const CentsTotal& total);

class Money {
 public:
  constexpr Money() = default;
  static constexpr Money FromCents(int64_t cents) { return Money(cents); }
  static constexpr Money FromDollars(int64_t dollars) { return Money(dollars * 100); }

  // Parses "1234", "1234.5", "1,234.50", "$1,234.50", "-12.00". At most two decimals.
  static Result<Money> Parse(std::string_view text);

  constexpr int64_t cents() const { return cents_; }
  constexpr bool is_zero() const { return cents_ == 0; }

  // "$1,234.50", "-$3.07".
  std::string ToString() const;

  // this × numerator ÷ denominator, rounded half away from zero, exact in 128-bit intermediate.
  Money MulDiv(int64_t numerator, int64_t denominator) const;

  // Within the bound every write keeps (kMaxMoneyCents).
  constexpr bool InBounds() const { return cents_ >= -kMaxMoneyCents && cents_ <= kMaxMoneyCents; }

  // Saturating: amounts past the int64 range clamp to it instead of wrapping to the other sign.
  constexpr Money operator+(Money o) const { return Money(SaturatingAdd(cents_, o.cents_)); }
  constexpr Money operator-(Money o) const { return Money(SaturatingSub(cents_, o.cents_)); }
  constexpr Money operator-() const { return Money(SaturatingSub(0, cents_)); }
  constexpr Money operator*(int64_t k) const { return Money(SaturatingMul(cents_, k)); }
  constexpr Money& operator+=(Money o) {
    cents_ = SaturatingAdd(cents_, o.cents_);
    return *this;
  }
  constexpr Money& operator-=(Money o) {
    cents_ = SaturatingSub(cents_, o.cents_);
    return *this;
  }
  constexpr auto operator<=>(const Money&) const = default;

 private:
  constexpr explicit Money(int64_t cents) : cents_(cents) {}
  int64_t cents_ = 0;
};

// The amount's cents within the bound: how the read model and the SQL sums count an amount that
// was stored past it (by SQL, or before the bound), so that their sums agree.
constexpr int64_t BoundedCents(Money m) {
  return m.cents() > kMaxMoneyCents    ? kMaxMoneyCents
         : m.cents() < -kMaxMoneyCents ? -kMaxMoneyCents
                                       : m.cents();
}

constexpr Money Max(Money a, Money b) { return a < b ? b : a; }
constexpr Money Min(Money a, Money b) { return a < b ? a : b; }

// numerator ÷ denominator in basis points (10000 = 100%), rounded half up; 0 when denominator is 0.
// Clamped to the int64 range.
int64_t RatioBasisPoints(Money numerator, Money denominator);
int64_t RatioBasisPoints(const CentsTotal& numerator, const CentsTotal& denominator);

}  // namespace orchard

// Money in integer cents (USD by default). Never a double: sums over a million accounts must be
// exact, and ratios (NRR, GRR) are computed in basis points from exact integer totals.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace orchard {

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

  constexpr Money operator+(Money o) const { return Money(cents_ + o.cents_); }
  constexpr Money operator-(Money o) const { return Money(cents_ - o.cents_); }
  constexpr Money operator-() const { return Money(-cents_); }
  constexpr Money operator*(int64_t k) const { return Money(cents_ * k); }
  constexpr Money& operator+=(Money o) {
    cents_ += o.cents_;
    return *this;
  }
  constexpr Money& operator-=(Money o) {
    cents_ -= o.cents_;
    return *this;
  }
  constexpr auto operator<=>(const Money&) const = default;

 private:
  constexpr explicit Money(int64_t cents) : cents_(cents) {}
  int64_t cents_ = 0;
};

constexpr Money Max(Money a, Money b) { return a < b ? b : a; }
constexpr Money Min(Money a, Money b) { return a < b ? a : b; }

// numerator ÷ denominator in basis points (10000 = 100%), rounded half up; 0 when denominator is 0.
int64_t RatioBasisPoints(Money numerator, Money denominator);

}  // namespace orchard

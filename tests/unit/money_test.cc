#include "core/money.h"

#include <gtest/gtest.h>

namespace orchard {
namespace {

TEST(MoneyTest, PrintsDollarsWithGroupingAndCents) {
  EXPECT_EQ(Money::FromCents(123450).ToString(), "$1,234.50");
  EXPECT_EQ(Money::FromCents(5).ToString(), "$0.05");
  EXPECT_EQ(Money::FromCents(-307).ToString(), "-$3.07");
  EXPECT_EQ(Money::FromDollars(1'000'000).ToString(), "$1,000,000.00");
  EXPECT_EQ(Money::FromCents(INT64_MIN).ToString(), "-$92,233,720,368,547,758.08");
}

TEST(MoneyTest, ParsesCommonSpellings) {
  EXPECT_EQ(Money::Parse("1234")->cents(), 123400);
  EXPECT_EQ(Money::Parse("1234.5")->cents(), 123450);
  EXPECT_EQ(Money::Parse("$1,234.50")->cents(), 123450);
  EXPECT_EQ(Money::Parse("-12.00")->cents(), -1200);
  EXPECT_EQ(Money::Parse(" 0.07 ")->cents(), 7);
}

TEST(MoneyTest, RejectsWhatIsNotAnAmount) {
  for (const char* bad : {"", "$", "12.345", "1.2.3", "abc", "12a", "99999999999999999999"}) {
    auto m = Money::Parse(bad);
    ASSERT_FALSE(m) << bad;
    EXPECT_EQ(m.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(m.error().message.find(bad), std::string::npos) << m.error().message;
  }
}

TEST(MoneyTest, ArithmeticIsExact) {
  Money a = Money::FromCents(10);
  Money sum;
  for (int i = 0; i < 1000; ++i) sum += a;  // 0.10 × 1000 with no floating drift
  EXPECT_EQ(sum, Money::FromDollars(100));
  EXPECT_EQ(Money::FromDollars(5) - Money::FromDollars(7), -Money::FromDollars(2));
  EXPECT_EQ(Max(Money::FromCents(1), Money::FromCents(2)).cents(), 2);
}

TEST(MoneyTest, MulDivRoundsHalfAwayFromZero) {
  EXPECT_EQ(Money::FromCents(100).MulDiv(1, 3).cents(), 33);
  EXPECT_EQ(Money::FromCents(100).MulDiv(2, 3).cents(), 67);
  EXPECT_EQ(Money::FromCents(5).MulDiv(1, 2).cents(), 3);
  EXPECT_EQ(Money::FromCents(-5).MulDiv(1, 2).cents(), -3);
  // No overflow in the intermediate: $90 trillion × 10000 ÷ 10000.
  Money big = Money::FromDollars(90'000'000'000'000);
  EXPECT_EQ(big.MulDiv(10000, 10000), big);
  EXPECT_EQ(Money::FromCents(7).MulDiv(3, 0).cents(), 0);
}

TEST(MoneyTest, RatioInBasisPoints) {
  EXPECT_EQ(RatioBasisPoints(Money::FromDollars(110), Money::FromDollars(100)), 11000);
  EXPECT_EQ(RatioBasisPoints(Money::FromCents(1), Money::FromCents(3)), 3333);
  EXPECT_EQ(RatioBasisPoints(Money::FromCents(2), Money::FromCents(3)), 6667);
  EXPECT_EQ(RatioBasisPoints(Money::FromCents(5), Money()), 0);
}

// Amounts past the int64 range clamp instead of wrapping to the other sign (issue "Trust": three
// lines of 2^62 cents made an account's ARR negative).
TEST(MoneyTest, ArithmeticSaturatesInsteadOfWrapping) {
  const Money huge = Money::FromCents(int64_t{1} << 62);
  EXPECT_EQ((huge + huge).cents(), INT64_MAX);
  Money sum;
  for (int i = 0; i < 3; ++i) sum += huge;
  EXPECT_EQ(sum.cents(), INT64_MAX);
  EXPECT_EQ((-huge - huge - huge).cents(), INT64_MIN);
  EXPECT_EQ((huge * 4).cents(), INT64_MAX);
  EXPECT_EQ((huge * -4).cents(), INT64_MIN);
  EXPECT_EQ((-Money::FromCents(INT64_MIN)).cents(), INT64_MAX);
  EXPECT_EQ((Money::FromCents(5) + Money::FromCents(-7)).cents(), -2);
  EXPECT_EQ(SaturatingAdd(INT64_MAX, 1), INT64_MAX);
  EXPECT_EQ(SaturatingSub(INT64_MIN, 1), INT64_MIN);
}

TEST(MoneyTest, TheBoundIsTenTrillionDollars) {
  EXPECT_TRUE(Money::FromCents(kMaxMoneyCents).InBounds());
  EXPECT_TRUE(Money::FromCents(-kMaxMoneyCents).InBounds());
  EXPECT_FALSE(Money::FromCents(kMaxMoneyCents + 1).InBounds());
  EXPECT_FALSE(Money::FromCents(int64_t{1} << 62).InBounds());
  EXPECT_EQ(Money::FromCents(kMaxMoneyCents).ToString(), "$10,000,000,000,000.00");
  EXPECT_EQ(BoundedCents(Money::FromCents(int64_t{1} << 62)), kMaxMoneyCents);
  EXPECT_EQ(BoundedCents(Money::FromCents(INT64_MIN)), -kMaxMoneyCents);
  EXPECT_EQ(BoundedCents(Money::FromCents(12)), 12);
}

// A kept total that rows are added to and taken from again stays exact past the int64 range.
TEST(MoneyTest, CentsTotalIsExactPastInt64AndReadsClamped) {
  CentsTotal t;
  for (int i = 0; i < 4; ++i) t += INT64_MAX;
  EXPECT_EQ(t.cents(), INT64_MAX);
  for (int i = 0; i < 4; ++i) t.Count(INT64_MAX, -1);
  EXPECT_TRUE(t.is_zero());
  t += 7;
  t -= 10;
  EXPECT_EQ(t.cents(), -3);
  CentsTotal low;
  for (int i = 0; i < 3; ++i) low -= INT64_MAX;
  EXPECT_EQ(low.cents(), INT64_MIN);
  low.Negate();
  EXPECT_EQ(low.cents(), INT64_MAX);
  CentsTotal a, b;
  a += 5;
  b += 5;
  EXPECT_EQ(a, b);
}

TEST(MoneyTest, RatiosOfHugeTotalsStayInRange) {
  CentsTotal start, end;
  for (int i = 0; i < 3; ++i) start += int64_t{1} << 62;
  for (int i = 0; i < 6; ++i) end += int64_t{1} << 62;
  EXPECT_EQ(RatioBasisPoints(end, start), 20000);
  CentsTotal one;
  one += 1;
  EXPECT_EQ(RatioBasisPoints(end, one), INT64_MAX);
  EXPECT_EQ(RatioBasisPoints(end, CentsTotal()), 0);
  EXPECT_EQ(RatioBasisPoints(Money::FromCents(INT64_MAX), Money::FromCents(1)), INT64_MAX);
}

}  // namespace
}  // namespace orchard

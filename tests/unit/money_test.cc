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

}  // namespace
}  // namespace orchard

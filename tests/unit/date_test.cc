#include "core/date.h"

#include <gtest/gtest.h>

namespace orchard {
namespace {

Date D(const char* s) { return *Date::Parse(s); }

TEST(DateTest, ParsesAndPrintsIso) {
  EXPECT_EQ(D("2024-02-29").ToString(), "2024-02-29");
  EXPECT_EQ(D("1970-01-01").days(), 0);
  EXPECT_EQ(D("2000-03-01").days(), 11017);
  EXPECT_EQ(D("1969-12-31").days(), -1);
  Date d = D("2026-11-24");
  EXPECT_EQ(d.year(), 2026);
  EXPECT_EQ(d.month(), 11);
  EXPECT_EQ(d.day(), 24);
}

TEST(DateTest, RefusesImpossibleDaysNamingThem) {
  for (const char* bad : {"2023-02-29", "2024-13-01", "2024-04-31", "2024-1-01", "24-01-01",
                          "2024/01/01", "", "2024-01-01x"}) {
    auto d = Date::Parse(bad);
    ASSERT_FALSE(d) << bad;
    EXPECT_EQ(d.error().code, ErrorCode::kInvalidArgument);
  }
  EXPECT_NE(Date::Parse("2023-02-29").error().message.find("2023-02-29"), std::string::npos);
}

TEST(DateTest, DayArithmetic) {
  EXPECT_EQ(D("2024-02-28").AddDays(1), D("2024-02-29"));
  EXPECT_EQ(D("2023-12-31").AddDays(1), D("2024-01-01"));
  EXPECT_EQ(D("2025-01-01") - D("2024-01-01"), 366);
  EXPECT_LT(D("2024-01-01"), D("2024-01-02"));
}

TEST(DateTest, AddMonthsClampsToMonthEnd) {
  EXPECT_EQ(D("2024-01-31").AddMonths(1), D("2024-02-29"));
  EXPECT_EQ(D("2023-01-31").AddMonths(1), D("2023-02-28"));
  EXPECT_EQ(D("2024-03-15").AddMonths(-12), D("2023-03-15"));
  EXPECT_EQ(D("2024-02-29").AddYears(1), D("2025-02-28"));
  EXPECT_EQ(D("2024-11-30").AddMonths(3), D("2025-02-28"));
  EXPECT_EQ(D("2024-11-17").FirstOfMonth(), D("2024-11-01"));
}

TEST(TimestampTest, ParsesDatabaseAndIsoForms) {
  auto a = Timestamp::Parse("2024-05-06 07:08:09");
  auto b = Timestamp::Parse("2024-05-06T07:08:09Z");
  auto c = Timestamp::Parse("2024-05-06T07:08:09.123+00:00");
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(*a, *c);
  EXPECT_EQ(a->ToString(), "2024-05-06 07:08:09");
  EXPECT_EQ(a->ToIso8601(), "2024-05-06T07:08:09Z");
  EXPECT_EQ(a->date(), D("2024-05-06"));
  EXPECT_FALSE(Timestamp::Parse("2024-05-06 25:00:00"));
  EXPECT_FALSE(Timestamp::Parse("2024-05-06 07:08:09+02:00"));  // only UTC is stored
}

TEST(TimestampTest, DateOfInstantsBeforeEpoch) {
  Timestamp t = Timestamp::At(D("1969-12-31"), 23, 59, 59);
  EXPECT_EQ(t.date(), D("1969-12-31"));
  EXPECT_EQ(t.ToString(), "1969-12-31 23:59:59");
}

// Every digit is padded, at both ends of the years a date holds, and a year beyond them still
// prints in full.
TEST(TimestampTest, PrintsEveryFieldPadded) {
  EXPECT_EQ(Timestamp::At(D("0001-01-01")).ToString(), "0001-01-01 00:00:00");
  EXPECT_EQ(Timestamp::At(D("0987-06-05"), 4, 3, 2).ToString(), "0987-06-05 04:03:02");
  EXPECT_EQ(Timestamp::At(D("9999-12-31"), 23, 59, 59).ToString(), "9999-12-31 23:59:59");
  EXPECT_EQ(D("0042-10-09").ToString(), "0042-10-09");
  EXPECT_EQ(D("9999-12-31").AddDays(1).ToString(), "10000-01-01");
  EXPECT_EQ(Timestamp::At(D("9999-12-31").AddDays(1), 1, 2, 3).ToString(), "10000-01-01 01:02:03");
}

}  // namespace
}  // namespace orchard

// Money and dates as exports write them, read by the format a CSV mapping names.
#include "ingest/formats.h"

#include <gtest/gtest.h>

namespace orchard::ingest {
namespace {

int64_t Cents(std::string_view text, std::string_view example = "1,234.50") {
  auto f = MoneyFormat::FromExample(example);
  EXPECT_TRUE(f);
  auto m = ParseMoney(text, *f);
  EXPECT_TRUE(m) << text << ": " << (m ? "" : m.error().message);
  return m ? m->cents() : INT64_MIN;
}

std::string Why(std::string_view text, std::string_view example = "1,234.50") {
  auto m = ParseMoney(text, *MoneyFormat::FromExample(example));
  EXPECT_FALSE(m) << text;
  return m ? "" : m.error().message;
}

TEST(MoneyFormatTest, AmountsAsExportsWriteThem) {
  EXPECT_EQ(Cents("$1,234.50"), 123450);
  EXPECT_EQ(Cents("1234.5"), 123450);
  EXPECT_EQ(Cents(" USD 12 "), 1200);
  EXPECT_EQ(Cents("-$7.05"), -705);
  EXPECT_EQ(Cents("($1,000.00)"), -100000);
  EXPECT_EQ(Cents("1,234,567"), 123456700);
  EXPECT_EQ(Cents("1.234,50 \xE2\x82\xAC", "1.234,50"), 123450);
  EXPECT_EQ(Cents("EUR 1.234.567,8", "1.234,50"), 123456780);
  EXPECT_EQ(Cents("1 234,50", "1 234,50"), 123450);
  EXPECT_EQ(Cents("\xC2\xA3"
                  "99",
                  "1234.50"),
            9900);
}

TEST(MoneyFormatTest, WhatIsNotAnAmountIsRefusedSayingWhy) {
  EXPECT_NE(Why("12.345").find("more than two decimals"), std::string::npos);
  EXPECT_NE(Why("1,23.00").find("not 3 digits"), std::string::npos);
  EXPECT_NE(Why("1.234,50").find("more than two decimals"), std::string::npos)
      << "a European amount read with the US format is refused, not misread";
  EXPECT_NE(Why("twelve").find("expected digits, '.' for decimals and ',' between thousands"),
            std::string::npos);
  EXPECT_NE(Why("$").find("has no amount"), std::string::npos);
  EXPECT_NE(Why("99999999999999999999").find("too large"), std::string::npos);
  EXPECT_FALSE(MoneyFormat::FromExample("1'234.50"));
}

TEST(DateFormatTest, DatesByPattern) {
  EXPECT_EQ(ParseDateAs("2026-06-15", "YYYY-MM-DD")->ToString(), "2026-06-15");
  EXPECT_EQ(ParseDateAs("2026-06-15T12:00:00.000+0000", "YYYY-MM-DD")->ToString(), "2026-06-15");
  EXPECT_EQ(ParseDateAs("06/15/2026", "MM/DD/YYYY")->ToString(), "2026-06-15");
  EXPECT_EQ(ParseDateAs("6/5/2026", "M/D/YYYY")->ToString(), "2026-06-05");
  EXPECT_EQ(ParseDateAs("15.06.2026", "DD.MM.YYYY")->ToString(), "2026-06-15");
  for (auto [text, pattern] :
       {std::pair{"2026-02-30", "YYYY-MM-DD"}, std::pair{"15/06/2026", "MM/DD/YYYY"},
        std::pair{"2026-6-15", "YYYY-MM-DD"}, std::pair{"15.06.2026 extra", "DD.MM.YYYY"}}) {
    auto d = ParseDateAs(text, pattern);
    ASSERT_FALSE(d) << text;
    EXPECT_NE(d.error().message.find(std::string("is not a date written ") + pattern),
              std::string::npos);
  }
}

}  // namespace
}  // namespace orchard::ingest

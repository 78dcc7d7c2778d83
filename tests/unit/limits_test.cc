// domain/limits.h: the one table of what a write may store (issue "Trust", items 5 and 6).
#include "domain/limits.h"
#include "domain/rules.h"

#include <gtest/gtest.h>

namespace orchard {
namespace {

constexpr TextLimit kLine{"t", "name", 5, false, true};
constexpr TextLimit kLines{"t", "body", 5, true, false};

TEST(LimitsTest, TextIsOneLineWithoutControlCharacters) {
  EXPECT_FALSE(CheckText("Anna", kLine));
  EXPECT_EQ(CheckText(std::string("A\0b", 3), kLine), "must not contain NUL characters");
  EXPECT_EQ(CheckText("A\nb", kLine), "must be one line");
  EXPECT_EQ(CheckText("A\rb", kLine), "must be one line");
  EXPECT_EQ(CheckText("A\tb", kLine), "must not contain control characters (found U+0009)");
  EXPECT_EQ(CheckText("A\x1b[0m", kLine), "must not contain control characters (found U+001B)");
  EXPECT_EQ(CheckText("A\x7f", kLine), "must not contain control characters (found U+007F)");
  EXPECT_EQ(CheckText("A\xc2\x85", kLine), "must not contain control characters (found U+0085)");
  // Multi-line text keeps tab, newline and carriage return, and nothing else.
  EXPECT_FALSE(CheckText("\tb\r\nc", kLines));
  EXPECT_TRUE(CheckText(std::string("a\0", 2), kLines));
  EXPECT_TRUE(CheckText("a\x0b", kLines));
}

TEST(LimitsTest, TextIsValidUtf8CountedInCharacters) {
  EXPECT_FALSE(CheckText("äääää", kLine));  // five characters, ten bytes
  EXPECT_EQ(CheckText("ääääää", kLine), "must be at most 5 characters (got 6)");
  EXPECT_FALSE(CheckText("日本語", kLine));
  EXPECT_FALSE(CheckText("\xf0\x9f\x8d\x8e", kLine));  // 🍎
  for (const char* bad :
       {"\xff", "a\xc3", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe0\x80\xaf", "\x80"}) {
    EXPECT_EQ(CheckText(bad, kLine), "is not valid UTF-8 text") << bad;
  }
}

// Text longer than a word is checked eight ASCII bytes at a time: a byte out of place is found
// wherever it falls in a word, and the count and blank test hold for the words too.
TEST(LimitsTest, LongTextIsCheckedAtEveryByte) {
  constexpr TextLimit kLong{"t", "name", 40, false, true};
  const std::string base(24, 'a');
  for (size_t at = 0; at < base.size(); ++at) {
    for (char bad : {'\x01', '\x1f', '\x7f', '\n', '\0'}) {
      std::string s = base;
      s[at] = bad;
      EXPECT_TRUE(CheckText(s, kLong)) << "byte " << int(bad) << " at " << at;
    }
    std::string s = base;
    s[at] = '\xff';
    EXPECT_EQ(CheckText(s, kLong), "is not valid UTF-8 text") << at;
    s = base;
    s.replace(at, 1, "ä");
    EXPECT_FALSE(CheckText(s, kLong)) << at;
    s = std::string(24, ' ');
    s[at] = 'x';
    EXPECT_FALSE(CheckText(s, kLong)) << "not blank with an x at " << at;
  }
  EXPECT_FALSE(CheckText(std::string(40, '~'), kLong));
  EXPECT_EQ(CheckText(std::string(41, 'a'), kLong), "must be at most 40 characters (got 41)");
  EXPECT_EQ(CheckText(std::string(21, 'a') + std::string(10, '\xe2'), kLong),
            "is not valid UTF-8 text");
  EXPECT_EQ(
      CheckText(std::string(8, 'a') + std::string(16, 'a') + "日本語日本語日本語日本語日本語日本語",
                kLong),
      "must be at most 40 characters (got 42)");
  EXPECT_EQ(CheckText(std::string(24, ' '), kLong), "must not be empty or only spaces");
}

TEST(LimitsTest, TruncatesWholeCharacters) {
  EXPECT_EQ(TruncateText("äöü", 2), "äö");
  EXPECT_EQ(TruncateText("ab", 5), "ab");
  EXPECT_EQ(TruncateText("", 0), "");
}

TEST(LimitsTest, RequiredTextIsNotBlank) {
  EXPECT_EQ(CheckText("", kLine), "must not be empty or only spaces");
  EXPECT_EQ(CheckText("   ", kLine), "must not be empty or only spaces");
  EXPECT_EQ(CheckText("\xc2\xa0", kLine), "must not be empty or only spaces");  // no-break space
  EXPECT_FALSE(CheckText(" a ", kLine));
  EXPECT_FALSE(CheckText("", kLines));  // not required
}

// Every text column of every entity is in the table, so a new field cannot go unbounded.
template <class T>
void ExpectEveryTextColumnListed() {
  ForEachColumn<T>([&](const auto& col) {
    using M = std::remove_cvref_t<decltype(std::declval<T>().*(col.member))>;
    if constexpr (std::is_same_v<M, std::string> || std::is_same_v<M, std::optional<std::string>>) {
      EXPECT_TRUE(TextLimitOf(EntitySchema<T>::kTable, col.name))
          << EntitySchema<T>::kTable << "." << col.name << " has no limit in domain/limits.cc";
    }
  });
}

TEST(LimitsTest, EveryTextColumnHasALimit) {
  ExpectEveryTextColumnListed<User>();
  ExpectEveryTextColumnListed<Account>();
  ExpectEveryTextColumnListed<Division>();
  ExpectEveryTextColumnListed<Product>();
  ExpectEveryTextColumnListed<ContractLine>();
  ExpectEveryTextColumnListed<Contact>();
  ExpectEveryTextColumnListed<Opportunity>();
  ExpectEveryTextColumnListed<Activity>();
  ExpectEveryTextColumnListed<Ticket>();
  ExpectEveryTextColumnListed<NpsResponse>();
  ExpectEveryTextColumnListed<EngagementSignal>();
  ExpectEveryTextColumnListed<Transcript>();
  ExpectEveryTextColumnListed<TextSentiment>();
  ExpectEveryTextColumnListed<AccountPlan>();
  ExpectEveryTextColumnListed<PlanPriority>();
  ExpectEveryTextColumnListed<PlanRisk>();
  ExpectEveryTextColumnListed<WhitespaceCell>();
  ExpectEveryTextColumnListed<PlanAction>();
  ExpectEveryTextColumnListed<PlanVersion>();
  ExpectEveryTextColumnListed<Review>();
  ExpectEveryTextColumnListed<Task>();
  ExpectEveryTextColumnListed<Handoff>();
  ExpectEveryTextColumnListed<HealthOverride>();
  ExpectEveryTextColumnListed<AuditEntry>();
  ExpectEveryTextColumnListed<Session>();
  ExpectEveryTextColumnListed<ApiToken>();
  ExpectEveryTextColumnListed<Setting>();
  for (const TextLimit& l : TextLimits()) EXPECT_GT(l.max_chars, 0) << l.table << "." << l.column;
}

TEST(LimitsTest, ARowIsCheckedFieldByField) {
  Opportunity o;
  o.name = "Renewal";
  o.created_on = *Date::Parse("2026-06-01");
  o.close_date = *Date::Parse("2026-09-30");
  EXPECT_TRUE(ValidateFields(o));
  // An open deal may have no close date yet (issue 21); a closed one needs it.
  Opportunity no_close = o;
  no_close.close_date.reset();
  EXPECT_TRUE(Validate(no_close));
  no_close.stage = OpportunityStage::kClosedWon;
  auto missing = Validate(no_close);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().fields.at(0).field, "close_date");
  EXPECT_EQ(missing.error().message, "close_date: is required for a closed opportunity");
  Opportunity huge = o;
  huge.amount = Money::FromCents(int64_t{1} << 62);
  auto past = ValidateFields(huge);
  ASSERT_FALSE(past);
  EXPECT_EQ(past.error().message, "amount_cents: must be at most 10^15 cents ($10 trillion)");
  Opportunity blank = o;
  blank.name = " ";
  EXPECT_EQ(ValidateFields(blank).error().fields.at(0).field, "name");
  Opportunity reason = o;
  reason.lost_reason = std::string("no\0", 3);
  EXPECT_EQ(ValidateFields(reason).error().fields.at(0).field, "lost_reason");
}

}  // namespace
}  // namespace orchard

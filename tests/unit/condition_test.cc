// The condition language of automation rules (issue 19): what a rule's author writes, what it
// decides for an account, and the errors they read when it does not parse.
#include "automation/condition.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace orchard::automation {
namespace {

constexpr std::array<std::string_view, 4> kColours = {"green", "yellow", "red", "none"};

// The catalog the tests parse against; the indexes are the enum's.
enum Field : size_t { kHealth, kTier, kArr, kColour, kName, kStrategic, kDays, kScore, kChurned };
const std::vector<FieldDef>& Catalog() {
  static const std::vector<FieldDef> catalog = {
      {"health", ValueType::kNumber, "health score, 0–100"},
      {"tier", ValueType::kNumber, "tier, 1–4"},
      {"arr", ValueType::kNumber, "annual recurring revenue"},
      {"colour", ValueType::kText, "health colour", kColours},
      {"name", ValueType::kText, "account name"},
      {"strategic", ValueType::kBool, "a strategic account"},
      {"days_to_renewal", ValueType::kNumber, "days to the next renewal"},
      {"score", ValueType::kNumber, "another score"},
      {"churned", ValueType::kBool, "churned"},
  };
  return catalog;
}

// One account: every field present unless set missing.
class Account : public FieldReader {
 public:
  Account() {
    values_ = {Value::Number(42),    Value::Number(1),    Value::Number(300000),
               Value::Text("Green"), Value::Text("Acme"), Value::Bool(true),
               Value::Number(30),    Value::Number(60),   Value::Bool(false)};
  }
  Account& Set(size_t field, Value value) {
    values_[field] = value;
    return *this;
  }
  Value Get(size_t field) const override { return values_.at(field); }

 private:
  std::vector<Value> values_;
};

Condition MustParse(std::string_view text) {
  auto parsed = Condition::Parse(text, Catalog());
  EXPECT_TRUE(parsed.has_value()) << text << ": " << parsed.error().Message();
  return parsed ? std::move(*parsed) : Condition();
}

bool Eval(std::string_view text, const Account& account = Account()) {
  return MustParse(text).Eval(account);
}

ParseError MustFail(std::string_view text) {
  auto parsed = Condition::Parse(text, Catalog());
  EXPECT_FALSE(parsed.has_value()) << text << " parsed as " << parsed->Canonical();
  return parsed ? ParseError{} : parsed.error();
}

std::string Message(std::string_view text) { return MustFail(text).Message(); }

TEST(Condition, AndBindsTighterThanOr) {
  // health < 50 holds, tier = 1 holds, strategic does not: a or (b and c) is true.
  Account account;
  account.Set(kStrategic, Value::Bool(false));
  EXPECT_TRUE(Eval("health < 50 or tier = 1 and strategic", account));
  EXPECT_FALSE(Eval("(health < 50 or tier = 1) and strategic", account));
  EXPECT_EQ(MustParse("health < 50 or tier = 1 and strategic").Canonical(),
            "health < 50 or tier = 1 and strategic");
  EXPECT_EQ(MustParse("(health < 50 OR tier = 1) AND strategic").Canonical(),
            "(health < 50 or tier = 1) and strategic");
  // The example of the issue: (… and … and …) or arr >= 250k.
  account.Set(kHealth, Value::Number(80));
  EXPECT_TRUE(
      Eval(R"(tier in (1, 2) and health < 50 and not (colour = "green") or arr >= 250k)", account));
  account.Set(kArr, Value::Number(100000));
  EXPECT_FALSE(
      Eval(R"(tier in (1, 2) and health < 50 and not (colour = "green") or arr >= 250k)", account));
}

TEST(Condition, NotNegatesWhatFollowsIt) {
  EXPECT_FALSE(Eval("not strategic"));
  EXPECT_TRUE(Eval("NOT not strategic"));
  EXPECT_FALSE(Eval("not health < 50"));  // not binds looser than a comparison
  EXPECT_TRUE(Eval("not (health < 50 and tier = 2)"));
  EXPECT_TRUE(Eval("not churned and strategic"));
  EXPECT_EQ(MustParse("not health < 50").Canonical(), "not (health < 50)");
  EXPECT_EQ(MustParse("Not Strategic").Canonical(), "not strategic");
}

TEST(Condition, InAndNotInTakeParenthesesOrBrackets) {
  EXPECT_TRUE(Eval("tier in (1, 2)"));
  EXPECT_FALSE(Eval("tier In [2, 3]"));
  EXPECT_TRUE(Eval("tier not in [2, 3]"));
  EXPECT_FALSE(Eval("tier NOT IN (1)"));
  EXPECT_TRUE(Eval(R"(colour in ("RED", 'green'))"));
  EXPECT_TRUE(Eval(R"(name not in ("Globex", "Initech"))"));
  EXPECT_EQ(MustParse("tier in [1,2]").Canonical(), "tier in (1, 2)");
}

TEST(Condition, NumbersTakeSeparatorsSuffixesAndSigns) {
  Account account;
  account.Set(kArr, Value::Number(250000));
  EXPECT_TRUE(Eval("arr >= 250k", account));
  EXPECT_TRUE(Eval("arr = 250_000", account));
  EXPECT_TRUE(Eval("arr = 0.25M", account));
  account.Set(kArr, Value::Number(249999));
  EXPECT_FALSE(Eval("arr >= 250K", account));
  account.Set(kArr, Value::Number(1500000));
  EXPECT_TRUE(Eval("arr == 1.5m", account));
  EXPECT_TRUE(Eval("arr <> 1_500_001", account));
  account.Set(kDays, Value::Number(-5));
  EXPECT_TRUE(Eval("days_to_renewal < -4.5", account));
  EXPECT_TRUE(Eval("days_to_renewal = -5", account));
  EXPECT_EQ(MustParse("arr >= 250_000").Canonical(), "arr >= 250k");
  EXPECT_EQ(MustParse("arr >= 1.5m").Canonical(), "arr >= 1500k");
  EXPECT_EQ(MustParse("health < 49.50").Canonical(), "health < 49.5");
  EXPECT_EQ(MustParse("health > 0.001").Canonical(), "health > 0.001");
}

TEST(Condition, LiteralFirstReadsTheSameWay) {
  EXPECT_EQ(MustParse("50 > health").Canonical(), "health < 50");
  EXPECT_EQ(MustParse("250k <= arr").Canonical(), "arr >= 250k");
  EXPECT_EQ(MustParse(R"("red" != colour)").Canonical(), R"(colour != "red")");
  EXPECT_TRUE(Eval("50 > health"));
  EXPECT_TRUE(Eval("true = strategic"));
}

TEST(Condition, TextsCompareWithoutCase) {
  EXPECT_TRUE(Eval(R"(name = "ACME")"));
  EXPECT_TRUE(Eval("name = 'acme'"));
  EXPECT_FALSE(Eval(R"(name != "aCmE")"));
  EXPECT_FALSE(Eval(R"(name = "Acme Corp")"));
  EXPECT_TRUE(Eval(R"(colour = "GREEN")"));
  // A closed set's literal is printed as the catalog spells it; a free text as written.
  EXPECT_EQ(MustParse(R"(colour = "GREEN")").Canonical(), R"(colour = "green")");
  EXPECT_EQ(MustParse(R"(name = 'Say "hi"\\')").Canonical(), R"(name = "Say \"hi\"\\")");
  Account quoted;
  quoted.Set(kName, Value::Text(R"(say "HI"\)"));
  EXPECT_TRUE(Eval(R"(name = 'Say "hi"\\')", quoted));
  EXPECT_TRUE(Eval(R"(name = "café")", Account().Set(kName, Value::Text("CAFé"))));
}

TEST(Condition, TwoFieldsOfOneTypeCompare) {
  EXPECT_TRUE(Eval("health < score"));
  EXPECT_FALSE(Eval("health >= score"));
  EXPECT_TRUE(Eval("strategic != churned"));
  EXPECT_EQ(Message("health < colour"),
            "line 1, column 10: expected a number or a number field after 'health <', found "
            "'colour'; colour is a text field");
}

TEST(Condition, AMissingValueFailsEveryComparison) {
  Account account;
  account.Set(kHealth, Value::Missing(ValueType::kNumber));
  account.Set(kColour, Value::Missing(ValueType::kText));
  account.Set(kStrategic, Value::Missing(ValueType::kBool));
  EXPECT_FALSE(Eval("health < 50", account));
  EXPECT_FALSE(Eval("health >= 50", account));
  EXPECT_FALSE(Eval("health != 50", account));
  EXPECT_FALSE(Eval("health not in (1, 2)", account));
  EXPECT_FALSE(Eval(R"(colour != "red")", account));
  EXPECT_FALSE(Eval("strategic", account));
  EXPECT_FALSE(Eval("strategic = false", account));
  EXPECT_FALSE(Eval("health = score", account));
  // not is the plain negation: "not (health < 50)" holds when there is no health score.
  EXPECT_TRUE(Eval("not (health < 50)", account));
  EXPECT_TRUE(Eval("not strategic", account));
  EXPECT_EQ(MustParse("health < 50").Explain(account).clauses.at(0).value, "missing");
}

TEST(Condition, BlankIsAlwaysTrue) {
  for (std::string_view text : {"", "   ", "\n\t "}) {
    Condition c = MustParse(text);
    EXPECT_TRUE(c.always());
    EXPECT_TRUE(c.Eval(Account()));
    EXPECT_EQ(c.Canonical(), "");
    EXPECT_TRUE(c.Fields().empty());
    EXPECT_EQ(c.Explain(Account()).Sentence(), "true: no condition, always true");
  }
  EXPECT_FALSE(MustParse("strategic").always());
  EXPECT_EQ(MustParse("  health<50 ").text(), "  health<50 ");
}

TEST(Condition, ErrorsSayWhereWhatWasExpectedAndWhatWasFound) {
  EXPECT_EQ(Message("health < abc"),
            "line 1, column 10: expected a number after 'health <', found 'abc'");
  EXPECT_EQ(Message("health < 5x"), "line 1, column 10: expected a number, found '5x'");
  EXPECT_EQ(Message("health < 1__0"), "line 1, column 10: expected a number, found '1__0'");
  EXPECT_EQ(Message(R"(health = "high")"),
            R"(line 1, column 10: expected a number after 'health =', found '"high"')");
  EXPECT_EQ(Message("health and tier = 1"),
            "line 1, column 8: expected a comparison after 'health', found 'and'; health is a "
            "number: compare it, as in health < 50");
  EXPECT_EQ(Message("name"),
            "line 1, column 5: expected a comparison after 'name', found the end of the "
            "condition; name is a text: compare it, as in name = \"…\"");
  EXPECT_EQ(Message("name < \"b\""),
            "line 1, column 6: expected '=', '!=', 'in' or 'not in' after 'name', found '<'; < "
            "compares numbers; name is a text");
  EXPECT_EQ(Message("strategic >= true"),
            "line 1, column 11: expected '=' or '!=' after 'strategic', found '>='; >= compares "
            "numbers; strategic is true or false");
  EXPECT_EQ(Message("strategic = 1"),
            "line 1, column 13: expected true or false after 'strategic =', found '1'");
  EXPECT_EQ(Message("name = acme"),
            "line 1, column 8: expected a text in quotes after 'name =', found 'acme'; texts go "
            "in quotes: \"acme\"");
  EXPECT_EQ(Message("tier in (1, 2"),
            "line 1, column 14: expected ',' or ')', found the end of the condition");
  EXPECT_EQ(Message("tier in [1, 2)"), "line 1, column 14: expected ',' or ']', found ')'");
  EXPECT_EQ(Message("tier in ()"),
            "line 1, column 10: expected a number after 'tier in (', "
            "found ')'");
  EXPECT_EQ(Message("tier in 1"),
            "line 1, column 9: expected '(' or '[' after 'tier in', found '1'");
  EXPECT_EQ(Message("tier not 1"), "line 1, column 10: expected 'in' after 'tier not', found '1'");
  EXPECT_EQ(Message("health < 50 tier = 1"),
            "line 1, column 13: expected 'and', 'or' or the end of the condition, found 'tier'");
  EXPECT_EQ(Message("(health < 50"),
            "line 1, column 13: expected 'and', 'or' or ')', found the end of the condition");
  EXPECT_EQ(Message("health < 50 and"),
            "line 1, column 16: expected a field name, 'not' or '(', found the end of the "
            "condition");
  EXPECT_EQ(Message("health @ 5"),
            "line 1, column 8: expected a comparison after 'health', "
            "found '@'; health is a number: compare it, as in health < 50");
  EXPECT_EQ(Message("health ! 5"),
            "line 1, column 8: expected a comparison after 'health', "
            "found '!'; health is a number: compare it, as in health < 50");
  EXPECT_EQ(Message("50 < 60"), "line 1, column 6: expected a field name after '50 <', found '60'");
  EXPECT_EQ(Message("50 < colour"),
            "line 1, column 6: expected a number field after '50 <', found 'colour'; colour is "
            "a text field");
  EXPECT_EQ(Message("name = \"abc"),
            "line 1, column 12: expected a closing '\"', found the end of the condition");
  EXPECT_EQ(Message("name = 'a\\tb'"),
            "line 1, column 10: expected an escape \\\\, \\\" or \\' in a text, found '\\t'");
  EXPECT_EQ(Message("name = \"a\nb\""),
            "line 1, column 10: expected a closing '\"', found a line break (texts are one line)");
  EXPECT_EQ(Message("name = \"a\xff\""),
            "line 1, column 10: expected text in UTF-8, found an invalid UTF-8 byte");
}

TEST(Condition, ClosedSetsNameTheirChoices) {
  ParseError e = MustFail(R"(colour = "gren")");
  EXPECT_EQ(e.expected, "one of green, yellow, red, none");
  EXPECT_EQ(e.found, "'gren'");
  EXPECT_EQ(e.column, 10);
  EXPECT_EQ(e.Message(),
            "line 1, column 10: expected one of green, yellow, red, none after 'colour =', found "
            "'gren'");
  EXPECT_EQ(Message(R"(colour in ("red", "blue"))"),
            "line 1, column 19: expected one of green, yellow, red, none, found 'blue'");
  EXPECT_EQ(Message("colour = 3"),
            "line 1, column 10: expected one of green, yellow, red, none after 'colour =', found "
            "'3'");
  EXPECT_EQ(Message("colour = red"),
            "line 1, column 10: expected one of green, yellow, red, none after 'colour =', found "
            "'red'; texts go in quotes: \"red\"");
}

TEST(Condition, UnknownFieldsListTheCatalogAndSuggestTheClosest) {
  ParseError e = MustFail("helth < 50");
  EXPECT_EQ(e.expected,
            "a field name (one of health, tier, arr, colour, name, strategic, days_to_renewal, "
            "score, churned)");
  EXPECT_EQ(e.found, "'helth'");
  EXPECT_EQ(e.hint, "did you mean 'health'?");
  EXPECT_EQ(e.Message(),
            "line 1, column 1: expected a field name (one of health, tier, arr, colour, name, "
            "strategic, days_to_renewal, score, churned), found 'helth'; did you mean 'health'?");
  EXPECT_EQ(MustFail("zzzzzz = 1").hint, "");
  EXPECT_EQ(MustFail("health < scre").hint, "did you mean 'score'?");
  // Field names are read without case, printed as the catalog has them.
  EXPECT_EQ(MustParse("HEALTH < 5").Canonical(), "health < 5");

  std::vector<FieldDef> big;
  std::vector<std::string> names;
  for (int i = 0; i < 20; ++i) names.push_back("f" + std::to_string(i));
  for (const std::string& n : names) big.push_back({n, ValueType::kNumber, ""});
  auto parsed = Condition::Parse("g < 1", big);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().expected,
            "a field name (one of f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, …)");
}

TEST(Condition, PositionsCountCharactersAndLines) {
  // "é" is two bytes and one column.
  ParseError e = MustFail(R"(name = "café" and helth < 5)");
  EXPECT_EQ(e.line, 1);
  EXPECT_EQ(e.column, 19);
  EXPECT_EQ(e.offset, 19u);
  EXPECT_EQ(MustFail("name = \"日本\" or x < 1").column, 16);
  ParseError second = MustFail("health < 50\n  and colour < \"red\"");
  EXPECT_EQ(second.line, 2);
  EXPECT_EQ(second.column, 14);
  EXPECT_EQ(second.Message(),
            "line 2, column 14: expected '=', '!=', 'in' or 'not in' after 'colour', found '<'; < "
            "compares numbers; colour is a text");
  EXPECT_EQ(MustFail("tier = 1 or\r\nhealth <\r\n\t'x'").line, 3);
  EXPECT_EQ(MustFail("tier = 1 or\nhealth <\n  'x'").column, 3);
  EXPECT_EQ(Message("tier = 1 and ☃"),
            "line 1, column 14: expected a field name, 'not' or '(', found '☃'");
}

TEST(Condition, LimitsAreErrors) {
  std::string longest = "name = \"" + std::string(Condition::kMaxBytes - 9, 'a') + "\"";
  ASSERT_EQ(longest.size(), Condition::kMaxBytes);
  EXPECT_TRUE(Condition::Parse(longest, Catalog()));
  EXPECT_EQ(Message(longest + " "),
            "line 1, column 4001: expected a condition of at most 4,000 bytes, found 4,001 bytes");

  auto nested = [](int depth) {
    return std::string(depth, '(') + "strategic" + std::string(depth, ')');
  };
  EXPECT_TRUE(Condition::Parse(nested(64), Catalog()));
  EXPECT_EQ(Message(nested(65)),
            "line 1, column 65: expected a condition nested at most 64 deep (parentheses and "
            "'not'), found '('");
  std::string nots;
  for (int i = 0; i < 64; ++i) nots += "not ";
  // 'not (' is one level: the canonical form of 64 nots over a comparison still parses.
  Condition deep = MustParse(nots + "health<1");
  EXPECT_EQ(deep.Canonical(), nots + "(health < 1)");
  EXPECT_TRUE(Condition::Parse(deep.Canonical(), Catalog()));
  EXPECT_EQ(MustFail(nots + "not strategic").column, 257);

  // A tight condition under the limit whose canonical form (with its spaces) would be over it.
  std::string tight = "tier in(";
  for (int i = 0; i < 999; ++i) tight += "10,";
  tight += "10)";
  EXPECT_EQ(Message(tight),
            "line 1, column 3009: expected a condition of at most 4,000 bytes once written out "
            "canonically, found 4,008 bytes");

  auto list = [](int items) {
    std::string out = "tier in (";
    for (int i = 0; i < items; ++i) out += (i ? "," : "") + std::to_string(i % 10);
    return out + ")";
  };
  EXPECT_TRUE(Condition::Parse(list(1000), Catalog()));
  EXPECT_EQ(MustFail(list(1001)).expected, "')' (a list holds at most 1,000 items)");

  // 500 comparisons fit in 4,000 bytes (written and canonical) only with short names.
  const std::vector<FieldDef> short_names = {{"b", ValueType::kBool, ""}};
  auto comparisons = [](int n) {
    std::string out = "b";
    for (int i = 1; i < n; ++i) out += " or b";
    return out;
  };
  EXPECT_TRUE(Condition::Parse(comparisons(500), short_names));
  auto many = Condition::Parse(comparisons(501), short_names);
  ASSERT_FALSE(many);
  EXPECT_EQ(many.error().expected, "at most 500 comparisons in a condition");
  EXPECT_EQ(many.error().found, "'b'");
  EXPECT_EQ(many.error().column, 2501);
}

TEST(Condition, FieldsAreSortedAndUnique) {
  EXPECT_EQ(MustParse("strategic and health < 50 or tier = 1 and health > 10").Fields(),
            (std::vector<size_t>{kHealth, kTier, kStrategic}));
  EXPECT_EQ(MustParse("score > health").Fields(), (std::vector<size_t>{kHealth, kScore}));
}

TEST(Condition, ExplainNamesEachComparisonAndTheValueItSaw) {
  Condition c = MustParse(R"(tier in (1,2) and health<50 and not (colour = "GREEN") or arr>=250k)");
  Account account;
  Explanation e = c.Explain(account);
  EXPECT_TRUE(e.result);
  ASSERT_EQ(e.clauses.size(), 4u);
  EXPECT_EQ(e.clauses[0].text, "tier in (1, 2)");
  EXPECT_EQ(e.clauses[0].field, "tier");
  EXPECT_EQ(e.clauses[0].value, "1");
  EXPECT_TRUE(e.clauses[0].held);
  EXPECT_EQ(e.clauses[2].text, R"(colour = "green")");
  EXPECT_EQ(e.clauses[2].value, R"("Green")");
  EXPECT_TRUE(e.clauses[2].held);
  EXPECT_EQ(e.Sentence(),
            R"(true: tier in (1, 2) held (tier = 1); health < 50 held (health = 42); )"
            R"(colour = "green" held (colour = "Green"); arr >= 250k held (arr = 300000))");
  account.Set(kArr, Value::Missing(ValueType::kNumber));
  EXPECT_EQ(
      c.Explain(account).Sentence(),
      R"(false: tier in (1, 2) held (tier = 1); health < 50 held (health = 42); )"
      R"(colour = "green" held (colour = "Green"); arr >= 250k did not hold (arr = missing))");
  EXPECT_EQ(c.Explain(account).result, c.Eval(account));
  EXPECT_EQ(MustParse("health < score").Explain(account).Sentence(),
            "true: health < score held (health = 42, score = 60)");
}

TEST(Condition, CanonicalFormsParseBackToThemselves) {
  const std::vector<std::pair<std::string_view, std::string_view>> cases = {
      {"health<50", "health < 50"},
      {"(strategic)", "strategic"},
      {"((health < 50) and (tier = 1)) and arr > 1k", "health < 50 and tier = 1 and arr > 1k"},
      {"strategic or (churned or tier = 2)", "strategic or churned or tier = 2"},
      {"not (strategic and churned) or not not churned",
       "not (strategic and churned) or not not churned"},
      {"colour NOT IN ['Red', 'NONE']", R"(colour not in ("red", "none"))"},
      {"tier = 1 and (health < 50 or health > 90)", "tier = 1 and (health < 50 or health > 90)"},
      {"days_to_renewal <= 30 and days_to_renewal >= -7",
       "days_to_renewal <= 30 and days_to_renewal >= -7"},
      {"arr = 1_234_567.5", "arr = 1234567.5"},
      {"strategic == TRUE", "strategic = true"},
      {"health <> score", "health != score"},
      {"name = '\\'\\\\'", R"(name = "'\\")"},
  };
  for (const auto& [text, canonical] : cases) {
    Condition c = MustParse(text);
    EXPECT_EQ(c.Canonical(), canonical) << text;
    Condition again = MustParse(c.Canonical());
    EXPECT_EQ(again.Canonical(), c.Canonical()) << text;
  }
}

// Random conditions over the catalog, as text with varied spelling.
class Generator {
 public:
  explicit Generator(uint32_t seed) : rng_(seed) {}

  std::string Text(int depth = 0) {
    switch (depth >= 4 ? 0 : Pick(5)) {
      case 0:
      case 1:
        return Comparison();
      case 2:
        return Text(depth + 1) + Word(" and ", " AND ") + Text(depth + 1);
      case 3:
        return Text(depth + 1) + Word(" or ", " Or ") + Text(depth + 1);
      case 4:
        return Word("not ", "NOT ") + Text(depth + 1);
      default:
        return "(" + Text(depth + 1) + ")";
    }
  }

 private:
  int Pick(int n) { return static_cast<int>(rng_() % static_cast<uint32_t>(n + 1)); }
  std::string Word(std::string a, std::string b) { return Pick(1) ? a : b; }
  std::string Number() {
    static const char* kNumbers[] = {"0",  "1",   "2",    "42",   "50",
                                     "-5", "1.5", "250k", "0.3m", "1_000"};
    return kNumbers[Pick(9)];
  }
  std::string Op(bool ordered) {
    static const char* kOrdered[] = {"=", "==", "!=", "<>", "<", "<=", ">", ">="};
    return kOrdered[ordered ? Pick(7) : Pick(3)];
  }
  std::string Comparison() {
    static const char* kNumberFields[] = {"health", "tier", "arr", "score"};
    static const char* kTexts[] = {"'green'", "\"RED\"", "'none'", "\"yellow\""};
    static const char* kNames[] = {"'acme'", "\"Globex\"", "'x'"};
    switch (Pick(7)) {
      case 0:
        return std::string(kNumberFields[Pick(3)]) + " " + Op(true) + " " + Number();
      case 1:
        return Number() + " " + Op(true) + " " + kNumberFields[Pick(3)];
      case 2: {
        std::string out = std::string(kNumberFields[Pick(3)]) + Word(" in (", " not in [");
        const bool paren = out.back() == '(';
        for (int i = Pick(3); i >= 0; --i) out += Number() + (i ? ", " : "");
        return out + (paren ? ")" : "]");
      }
      case 3:
        return std::string("colour ") + Op(false) + " " + kTexts[Pick(3)];
      case 4:
        return std::string("name ") + Op(false) + " " + kNames[Pick(2)];
      case 5:
        return Word("strategic", "churned");
      case 6:
        return std::string(kNumberFields[Pick(3)]) + " " + Op(true) + " " + kNumberFields[Pick(3)];
      default:
        return std::string("colour") + Word(" in ('red', 'green')", " not in (\"NONE\")");
    }
  }

  std::mt19937 rng_;
};

TEST(Condition, CanonicalDecidesLikeTheOriginalOnRandomConditions) {
  Generator generate(19);
  std::mt19937 rng(7);
  const char* kColourValues[] = {"green", "RED", "none", "Yellow"};
  const char* kNameValues[] = {"Acme", "globex", "X"};
  const double kNumbers[] = {0, 1, 2, 42, 50, -5, 1.5, 250000, 300000, 1000, 60};
  int parsed = 0;
  for (int round = 0; round < 500; ++round) {
    const std::string text = generate.Text();
    auto original = Condition::Parse(text, Catalog());
    ASSERT_TRUE(original) << text << ": " << original.error().Message();
    ++parsed;
    auto canonical = Condition::Parse(original->Canonical(), Catalog());
    ASSERT_TRUE(canonical) << original->Canonical() << ": " << canonical.error().Message();
    EXPECT_EQ(canonical->Canonical(), original->Canonical());
    EXPECT_EQ(canonical->Fields(), original->Fields());
    for (int reader = 0; reader < 20; ++reader) {
      Account account;
      for (size_t f : {kHealth, kTier, kArr, kScore, kDays}) {
        account.Set(f, rng() % 6 == 0 ? Value::Missing(ValueType::kNumber)
                                      : Value::Number(kNumbers[rng() % 11]));
      }
      account.Set(kColour, rng() % 6 == 0 ? Value::Missing(ValueType::kText)
                                          : Value::Text(kColourValues[rng() % 4]));
      account.Set(kName, Value::Text(kNameValues[rng() % 3]));
      account.Set(kStrategic, Value::Bool(rng() % 2));
      account.Set(kChurned,
                  rng() % 5 == 0 ? Value::Missing(ValueType::kBool) : Value::Bool(rng() % 2));
      const bool result = original->Eval(account);
      EXPECT_EQ(canonical->Eval(account), result) << text << " vs " << original->Canonical();
      EXPECT_EQ(original->Explain(account).result, result) << text;
    }
  }
  EXPECT_EQ(parsed, 500);
}

TEST(Condition, ParseConditionGivesTheProjectsError) {
  auto ok = ParseCondition("health < 50", Catalog());
  ASSERT_TRUE(ok);
  EXPECT_TRUE(ok->Eval(Account()));
  auto bad = ParseCondition("helth < 50", Catalog());
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidValue);
  EXPECT_EQ(bad.error().message, "condition: " + MustFail("helth < 50").Message());
}

}  // namespace
}  // namespace orchard::automation

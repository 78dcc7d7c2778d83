// Each entity's own rules (domain/rules.h): written once, each failure naming its field with the
// reason the API shows after it (a 422), the seed and the importer frame it in their own words.
#include "domain/rules.h"

#include <gtest/gtest.h>

namespace orchard {
namespace {

// The field and the reason of a refusal ("" when the row passes).
std::pair<std::string, std::string> Why(const Status& s) {
  if (s) return {"", ""};
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidValue);
  if (s.error().fields.empty()) return {"?", s.error().message};
  return {s.error().fields.front().field, s.error().fields.front().message};
}

using Pair = std::pair<std::string, std::string>;

TEST(RulesTest, InfluenceIsOneToFiveWrittenOnce) {
  Contact c;
  for (int influence : {1, 3, 5}) {
    c.influence = influence;
    EXPECT_TRUE(ValidateRules(c)) << influence;
  }
  for (int influence : {0, 6, -1}) {
    c.influence = influence;
    EXPECT_EQ(Why(ValidateRules(c)), Pair("influence", "must be from 1 to 5")) << influence;
  }
  // The importer reads the same range (ingest/import_rows.cc).
  EXPECT_EQ(kInfluence.lo, 1);
  EXPECT_EQ(kInfluence.hi, 5);
}

TEST(RulesTest, AContactDoesNotReportToThemselves) {
  Contact c;
  c.influence = 3;
  c.id = ContactId(7);
  c.reports_to_id = ContactId(7);
  EXPECT_EQ(Why(ValidateRules(c)), Pair("reports_to_id", "a contact cannot report to themselves"));
  c.reports_to_id = ContactId(8);
  EXPECT_TRUE(ValidateRules(c));
}

TEST(RulesTest, EachEntityNamesItsField) {
  Account a;
  EXPECT_EQ(Why(ValidateRules(a)), Pair("name", "must not be empty"));
  a.name = "Acme";
  a.employees = -1;
  EXPECT_EQ(Why(ValidateRules(a)), Pair("employees", "must not be negative"));
  a.employees = 10;
  a.tier_override = Tier::kStrategic;
  EXPECT_EQ(Why(ValidateRules(a)), Pair("tier_override_reason", "a tier override needs a reason"));

  NpsResponse n;
  n.score = 11;
  EXPECT_EQ(Why(ValidateRules(n)), Pair("score", "must be from 0 to 10"));
  n.score = 0;
  EXPECT_TRUE(ValidateRules(n));

  Opportunity o;
  o.name = "Renewal";
  o.amount = Money::FromCents(-1);
  EXPECT_EQ(Why(ValidateRules(o)), Pair("amount_cents", "must not be negative"));

  User u;
  u.email = "nobody";
  EXPECT_EQ(Why(ValidateRules(u)), Pair("email", "is not an e-mail address"));

  UsageMetric m;
  m.licensed_seats = -2;
  EXPECT_EQ(Why(ValidateRules(m)), Pair("active_users", "usage figures must not be negative"));

  ContractLine l;
  l.start_date = *Date::Parse("2024-02-01");
  l.end_date = *Date::Parse("2024-01-31");
  EXPECT_TRUE(EndsBeforeStart(l));
  EXPECT_EQ(Why(ValidateRules(l)), Pair("end_date", "is before start_date 2024-02-01"));
}

TEST(RulesTest, AWhitespaceCellsAdoptionAndCompetitor) {
  WhitespaceCell c;
  EXPECT_TRUE(ValidateRules(c));  // entered, no adoption
  c.adoption_bp = 10'001;
  EXPECT_EQ(Why(ValidateRules(c)), Pair("adoption_bp", "must be from 0 to 10000 basis points"));
  c.potential_source = PotentialSource::kSized;
  c.adoption_bp = 0;
  EXPECT_EQ(Why(ValidateRules(c)),
            Pair("adoption_bp",
                 "a sized cell needs an adoption assumption from 1 to 10000 basis points "
                 "(0.01% to 100%)"));
  c.adoption_bp = 2500;
  EXPECT_TRUE(ValidateRules(c));
  c.status = WhitespaceStatus::kCompetitor;
  EXPECT_EQ(Why(ValidateRules(c)), Pair("competitor", "a competitor cell names the competitor"));
  c.competitor = "Rival";
  c.potential = Money::FromCents(-5);
  EXPECT_EQ(Why(ValidateRules(c)), Pair("potential_cents", "must not be negative"));
}

TEST(RulesTest, ValidateChecksTheLimitsFirstThenTheRules) {
  Contact c;
  c.influence = 9;
  c.first_name = std::string(201, 'a');
  EXPECT_EQ(Why(Validate(c)).first, "first_name");
  c.first_name = "Ada";
  EXPECT_EQ(Why(Validate(c)).first, "influence");
  c.influence = 2;
  EXPECT_TRUE(Validate(c));
  // An entity without rules of its own passes them.
  EXPECT_TRUE(ValidateRules(Task{}));
}

}  // namespace
}  // namespace orchard

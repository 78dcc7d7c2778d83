// What the UI is told it may change, through the real server: GET /api/v1/accounts/{id} answers
// `can_edit` per caller from the same Policy the writes run, and a write outside the caller's
// book is refused with a message that names the owner whose book it is.
#include <gmock/gmock.h>

#include "security/harness.h"

namespace orchard::security {
namespace {

using ::testing::HasSubstr;

using CanEditTest = SecurityTest;

// Every role against both books: what GET says is what the policy decides.
TEST_P(CanEditTest, TheAccountSaysWhoMayChangeIt) {
  auto can_edit = [&](const std::string& who, AccountId id) -> std::string {
    auto res = As(who).Get("/api/v1/accounts/" + std::to_string(id.value));
    if (!res || res->status != 200) return "status " + std::to_string(res ? res->status : 0);
    const json::value body = json::parse(res->body);
    const auto& o = body.as_object();
    auto it = o.find("can_edit");
    if (it == o.end()) return "no can_edit";
    if (!it->value().is_bool()) return "not a boolean";
    return it->value().as_bool() ? "yes" : "no";
  };
  struct Case {
    const char* who;
    const char* ann;  // on ann's account (owner ann, CSM cara; Mia's team)
    const char* bob;  // on bob's account (owner bob; Max's team)
  };
  const Case cases[] = {{"admin", "yes", "yes"}, {"leader", "yes", "yes"}, {"mia", "yes", "no"},
                        {"max", "no", "yes"},    {"ann", "yes", "no"},     {"bob", "no", "yes"},
                        {"cara", "yes", "no"},   {"vic", "no", "no"}};
  for (const Case& c : cases) {
    EXPECT_EQ(can_edit(c.who, ann_account_), c.ann) << c.who << " on ann's account";
    EXPECT_EQ(can_edit(c.who, bob_account_), c.bob) << c.who << " on bob's account";
  }
}

// A write outside one's book says whose book it is, in words the page shows as they are.
TEST_P(CanEditTest, ARefusedWriteNamesTheOwnersBook) {
  const std::string bobs = std::to_string(bob_account_.value);
  auto contact = As("ann").Post("/api/v1/accounts/" + bobs + "/contacts",
                                R"({"first_name":"Theirs"})", "application/json");
  ASSERT_TRUE(contact);
  EXPECT_EQ(contact->status, 403);
  EXPECT_THAT(contact->body, HasSubstr("You can't change this account: it's in Bob's book"));
  auto account = As("ann").Patch("/api/v1/accounts/" + bobs, R"({"version":1,"name":"Taken"})",
                                 "application/json");
  ASSERT_TRUE(account);
  EXPECT_EQ(account->status, 403);
  EXPECT_THAT(account->body, HasSubstr("You can't change this account: it's in Bob's book"));
  auto plan = As("cara").Post("/api/v1/plans/" + std::to_string(bob_plan_.value) + "/priorities",
                              R"({"text":"Not ours"})", "application/json");
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->status, 403);
  EXPECT_THAT(plan->body, HasSubstr("You can't change this account: it's in Bob's book"));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM contacts WHERE first_name = 'Theirs'"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM plan_priorities WHERE text = 'Not ours'"), 0);
}

ORCHARD_SECURITY_SUITE(CanEditTest);

}  // namespace
}  // namespace orchard::security

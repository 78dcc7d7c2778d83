// Role- and book-based access through the real server: who may change which account.
#include <gmock/gmock.h>

#include "security/harness.h"

namespace orchard::security {
namespace {

using BookAccessTest = SecurityTest;

// The probe's case that held: an AM edits their own account, not another AM's, and a refused
// write changes nothing.
TEST_P(BookAccessTest, AnAmEditsTheirOwnBookOnly) {
  auto patch = [&](const std::string& who, AccountId id, const std::string& name) {
    json::object body{{"version", 1}, {"name", name}};
    return As(who).Patch("/api/v1/accounts/" + std::to_string(id.value), json::serialize(body),
                         "application/json");
  };
  auto theirs = patch("ann", bob_account_, "Taken");
  ASSERT_TRUE(theirs);
  EXPECT_EQ(theirs->status, 403) << theirs->body;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM accounts WHERE name = 'Taken'"), 0);
  auto own = patch("ann", ann_account_, "Contoso Group");
  ASSERT_TRUE(own);
  EXPECT_EQ(own->status, 200) << own->body;
  EXPECT_EQ(Count("SELECT version FROM accounts WHERE id = " + std::to_string(ann_account_.value)),
            2);
  auto viewer = patch("vic", ann_account_, "Viewed");
  ASSERT_TRUE(viewer);
  EXPECT_EQ(viewer->status, 403) << viewer->body;
}

ORCHARD_SECURITY_SUITE(BookAccessTest);

}  // namespace
}  // namespace orchard::security

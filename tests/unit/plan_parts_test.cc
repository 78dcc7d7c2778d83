// A plan version's parts, read from its snapshot in both forms a book holds, and the versions the
// read model keeps per account (what the models read of a plan on a past day).
#include <gtest/gtest.h>

#include "engine/plan_parts.h"
#include "engine/read_model.h"

namespace orchard::engine {
namespace {

constexpr uint8_t kAll = PlanVersionRec::kPriority | PlanVersionRec::kRisk |
                         PlanVersionRec::kWhitespace | PlanVersionRec::kOpenAction;

TEST(PlanPartsTest, TheServicesWholePlanSnapshot) {
  EXPECT_EQ(PlanPartsOf(R"({"plan":{"id":1},"priorities":[{"id":3}],"risks":[{"id":4}],)"
                        R"("whitespace_cells":[{"id":5}],"actions":[{"id":6,"status":"open"}]})"),
            kAll);
  // Empty lists are parts the plan lacks; an action done or cancelled is not an open one.
  EXPECT_EQ(PlanPartsOf(R"({"plan":{"id":1},"priorities":[],"risks":[{"id":4}],)"
                        R"("whitespace_cells":[],"actions":[{"id":6,"status":"done"},)"
                        R"({"id":7,"status":"cancelled"}]})"),
            PlanVersionRec::kRisk);
  EXPECT_EQ(
      PlanPartsOf(R"({"actions":[{"id":6,"status":"done"},{"id":7,"status":"in_progress"}]})"),
      PlanVersionRec::kOpenAction);
}

TEST(PlanPartsTest, TheSeedsCounts) {
  EXPECT_EQ(PlanPartsOf(R"({"priorities":2,"risks":1,"whitespace_cells":4,"open_actions":1})"),
            kAll);
  EXPECT_EQ(PlanPartsOf(R"({"priorities":0,"risks":0,"whitespace_cells":3,"open_actions":0})"),
            PlanVersionRec::kWhitespace);
}

TEST(PlanPartsTest, ASnapshotThatIsNotAnObjectHasNoParts) {
  EXPECT_EQ(PlanPartsOf(""), 0);
  EXPECT_EQ(PlanPartsOf("not json"), 0);
  EXPECT_EQ(PlanPartsOf("[1,2]"), 0);
  EXPECT_EQ(PlanPartsOf(R"({"priorities":"two","risks":{"n":1},"actions":[3]})"), 0);
}

TEST(PlanPartsTest, TheModelKeepsAPlansVersionsUntilThePlanGoes) {
  ReadModel model;
  Account a;
  a.id = AccountId(1);
  model.Upsert(a);
  PlanVersion early;
  early.id = PlanVersionId(10);
  early.plan_id = PlanId(5);
  early.changed_at = Timestamp::At(*Date::Parse("2026-01-10"), 9);
  early.snapshot_json = R"({"priorities":1})";
  model.Upsert(early);  // its plan is not held yet: not kept
  auto lock = model.ReadLock();
  EXPECT_TRUE(model.plan_versions(*model.SlotOf(1)).empty());
  lock.unlock();

  AccountPlan plan;
  plan.id = PlanId(5);
  plan.account_id = AccountId(1);
  plan.updated_at = early.changed_at;
  model.Upsert(plan);
  model.Upsert(early);
  PlanVersion later = early;
  later.id = PlanVersionId(11);
  later.changed_at = Timestamp::At(*Date::Parse("2026-03-02"), 9);
  later.snapshot_json = R"({"priorities":1,"risks":2})";
  model.Upsert(later);
  lock.lock();
  auto versions = model.plan_versions(*model.SlotOf(1));
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[0].day, Date::Parse("2026-01-10")->days());
  EXPECT_EQ(versions[0].parts, PlanVersionRec::kPriority);
  EXPECT_EQ(versions[1].day, Date::Parse("2026-03-02")->days());
  EXPECT_EQ(versions[1].parts, PlanVersionRec::kPriority | PlanVersionRec::kRisk);
  lock.unlock();

  model.EraseRow<AccountPlan>(5, 1);
  lock.lock();
  EXPECT_TRUE(model.plan_versions(*model.SlotOf(1)).empty()) << "the plan's history went with it";
}

}  // namespace
}  // namespace orchard::engine
